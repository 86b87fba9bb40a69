import assert from "node:assert";

import { ScramConversation, scramCredential, ScramError } from "../../../emulator/mongo/scram";

// RFC 7677 §3's SCRAM-SHA-256 exchange, byte for byte, then the ways a conversation fails.
const SALT = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
const CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
const SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
const CLIENT_FINAL =
  "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
const SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

const conversation = (password = "pencil") =>
  new ScramConversation(
    (user) => (user === "user" ? scramCredential(password, SALT, 4096) : undefined),
    () => "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
  );

describe("emulator SCRAM-SHA-256 (server side)", () => {
  it("answers RFC 7677's example exchange exactly", () => {
    const scram = conversation();
    assert.deepStrictEqual(scram.start(CLIENT_FIRST), { user: "user", serverFirst: SERVER_FIRST });
    assert.deepStrictEqual(scram.finish(CLIENT_FINAL), { user: "user", serverFinal: SERVER_FINAL });
  });

  it("refuses a proof made with another password, an unknown user and a replayed conversation", () => {
    const wrong = conversation("not-pencil");
    wrong.start(CLIENT_FIRST);
    assert.throws(() => wrong.finish(CLIENT_FINAL), ScramError);
    assert.throws(() => conversation().start("n,,n=nobody,r=abc"), /unknown user/);
    const once = conversation();
    once.start(CLIENT_FIRST);
    once.finish(CLIENT_FINAL);
    assert.throws(() => once.finish(CLIENT_FINAL), /no conversation to finish/);
  });

  it("refuses channel binding, a changed nonce and a malformed message", () => {
    assert.throws(() => conversation().start("p=tls-unique,,n=user,r=x"), /gs2 header/);
    assert.throws(() => conversation().start("n,,r=x"), /lacks n or r/);
    const scram = conversation();
    scram.start(CLIENT_FIRST);
    assert.throws(() => scram.finish(CLIENT_FINAL.replace("r=rOpr", "r=XOpr")), /nonce mismatch/);
    const noProof = conversation();
    noProof.start(CLIENT_FIRST);
    assert.throws(() => noProof.finish("c=biws,r=x"), /lacks a proof/);
  });
});

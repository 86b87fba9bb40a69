import assert from "node:assert";

import sinon from "sinon";

import { engineGone, EngineGoneError, guarded } from "../../../provider/pulumi/provider-process";
import { memoryJournal } from "../../../provider/restore/journal";
import type { Session } from "../../../provider/restore/types";
import { fakeAtlasClient, fakeClock } from "../../helpers/fakes";

describe("provider process once the engine is gone", () => {
  it("makes no further Atlas call, never deletes a journal entry, and exits", async () => {
    const journal = memoryJournal();
    const list = sinon.fake.resolves([]);
    const session: Session = {
      client: fakeAtlasClient({ listServerlessRestoreJobs: list }),
      clock: fakeClock(),
      log: { info: () => {}, warn: () => {} },
      journal,
      poll: { minDelayMs: 1, maxDelayMs: 1 },
    };
    // An engine state of the test's own: this process's stays as it is for the other tests.
    const engine = { gone: undefined, inFlight: 0 };
    const s = guarded(session, engine);
    await s.client.listServerlessRestoreJobs("g", "c");
    s.journal.put("k", { attemptStartedAt: 1, knownJobIds: [], posts: 1 });

    const exit = sinon.fake();
    engineGone("ancestor process exited: 5", exit, engine);
    sinon.assert.calledOnce(exit);
    await assert.rejects(s.client.listServerlessRestoreJobs("g", "c"), EngineGoneError);
    sinon.assert.calledOnce(list);
    s.journal.delete("k");
    assert.strictEqual(journal.entries.size, 1, "the journal may be all that knows of a job");
    s.journal.put("k2", { attemptStartedAt: 1, knownJobIds: [], posts: 1, jobId: "j" });
    assert.strictEqual(journal.entries.size, 2, "an answer that still arrives is worth keeping");
  });
});

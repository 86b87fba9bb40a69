import assert from "node:assert";

import {
  formatDuration,
  lineDue,
  PROGRESS_EVERY_MS,
  progressFacts,
  progressMessage,
  untilLineDue,
} from "../../../provider/waiting/progress";

const S = 1_000;

describe("progress lines", () => {
  it("are due at once, on a change of status, or 30 s after the last", () => {
    assert.strictEqual(lineDue(undefined, 0, false), true);
    assert.strictEqual(lineDue(0, PROGRESS_EVERY_MS - 1, false), false);
    assert.strictEqual(lineDue(0, PROGRESS_EVERY_MS - 1, true), true);
    assert.strictEqual(lineDue(0, PROGRESS_EVERY_MS, false), true);
    assert.strictEqual(untilLineDue(undefined, 5), 1);
    assert.strictEqual(untilLineDue(10 * S, 25 * S), 15 * S);
    assert.strictEqual(untilLineDue(0, 45 * S), 1);
  });

  it("say the status, the time elapsed, when the job should end and why, and the next look", () => {
    assert.strictEqual(
      progressMessage({
        noun: "serverless restore job",
        jobId: "j1",
        status: "RUNNING",
        elapsedMs: 125 * S,
        expectation: { endsAtMs: 200 * S, basis: "earlier jobs", basedOn: 5 },
        nowMs: 130 * S,
        nextCheckInMs: 40 * S,
      }),
      "serverless restore job j1: RUNNING, 2m 05s elapsed; expected to end in about 1m 10s " +
        "(from 5 earlier jobs of its source); next look in 40s",
    );
  });

  it("say how late a job runs past its expected end, and a collection restore's documents", () => {
    assert.strictEqual(
      progressMessage({
        noun: "collection restore job",
        jobId: "j2",
        status: "IN_PROGRESS",
        documents: { restored: 60_000, total: 155_000 },
        elapsedMs: 3_723 * S,
        expectation: { endsAtMs: 100 * S, basis: "its progress", basedOn: 3 },
        nowMs: 160 * S,
      }),
      "collection restore job j2: IN_PROGRESS, 60000 of 155000 documents (38%), 1h 02m 03s elapsed; " +
        "1m 00s past its expected end (from its progress)",
    );
  });

  it("take their facts from the kinds' outputs and the wait's plan", () => {
    const plan = { startedAtMs: 10 * S, expectation: () => undefined };
    assert.deepStrictEqual(
      progressFacts(
        "collection restore job",
        {
          restoreJobId: "j",
          status: "RUNNING",
          state: "FINALIZING",
          restoredDocuments: 5,
          totalDocuments: 5,
        },
        plan,
        70 * S,
      ),
      {
        noun: "collection restore job",
        jobId: "j",
        status: "FINALIZING",
        elapsedMs: 60 * S,
        documents: { restored: 5, total: 5 },
        nowMs: 70 * S,
      },
    );
    assert.strictEqual(
      progressFacts("job", { restoreJobId: "j", status: "COMPLETED", state: "SUCCESSFUL" }, plan, 0).status,
      "COMPLETED",
    );
  });

  it("format durations as 7s, 2m 05s, 1h 02m 03s", () => {
    assert.deepStrictEqual([7_000, 125_000, 3_723_000, -5].map(formatDuration), [
      "7s",
      "2m 05s",
      "1h 02m 03s",
      "0s",
    ]);
  });
});

import assert from "node:assert";

import { beliefFromLengths, hazard, medianOf, survival } from "../../../provider/waiting/belief";
import {
  copyBelief,
  type CopyReading,
  copyReading,
  jobStart,
  objectIdTime,
} from "../../../provider/waiting/signals";

const S = 1_000;
const MIN = 60 * S;
const ID = "6650a1b2c3d4e5f6a7b8c9d0";

describe("signals in a job's own fields", () => {
  it("reads the creation second out of an ObjectId", () => {
    assert.strictEqual(objectIdTime(ID), 0x6650a1b2 * 1000);
    for (const bad of ["job", "zz50a1b2c3d4e5f6a7b8c9d0", "00000000c3d4e5f6a7b8c9d0", 5, undefined])
      assert.strictEqual(objectIdTime(bad), undefined, String(bad));
  });

  it("takes a job's stated start, else its id's creation time", () => {
    const created = 0x6650a1b2 * 1000;
    const now = created + 3600_000;
    const stated = (field: string, iso: string) => jobStart({ restoreJobId: ID, [field]: iso }, now);
    assert.strictEqual(stated("createdAt", "2026-11-28T12:00:00Z"), Date.parse("2026-11-28T12:00:00Z"));
    assert.strictEqual(
      stated("restoreScheduledDate", "2026-11-28T13:00:00Z"),
      Date.parse("2026-11-28T13:00:00Z"),
    );
    assert.strictEqual(jobStart({ restoreJobId: ID }, now), created);
    assert.strictEqual(jobStart({ restoreJobId: "job" }, now), undefined);
    // An id a month older than now was not made by this clock's Atlas (a fixture, a skewed clock).
    assert.strictEqual(jobStart({ restoreJobId: ID }, created + 31 * 24 * 3600_000), undefined);
  });

  it("reads a collection restore's copy, and nothing from other jobs", () => {
    assert.deepStrictEqual(
      copyReading({ state: "IN_PROGRESS", restoredDocuments: 5, totalDocuments: 10 }, 7),
      { atMs: 7, state: "IN_PROGRESS", restored: 5, total: 10 },
    );
    assert.strictEqual(copyReading({ status: "RUNNING" }, 7), undefined);
    assert.strictEqual(
      copyReading({ state: "IN_PROGRESS", restoredDocuments: 0, totalDocuments: 0 }, 7),
      undefined,
    );
  });

  describe("copyBelief", () => {
    const read = (atMs: number, state: string, restored: number): CopyReading => ({
      atMs,
      state,
      restored,
      total: 1000,
    });

    it("needs a pace or the copy's end", () => {
      assert.strictEqual(copyBelief([read(10 * S, "INITIALIZING", 0)]), undefined);
      assert.strictEqual(copyBelief([read(10 * S, "IN_PROGRESS", 100)]), undefined);
    });

    it("ends the copy at its pace and rules out an earlier finish", () => {
      // 100 documents a minute from 1 min on: the copy ends at 11 min, after 10 minutes of copying.
      const belief = copyBelief([read(2 * MIN, "IN_PROGRESS", 100), read(4 * MIN, "IN_PROGRESS", 300)])!;
      assert.strictEqual(belief.source, "progress");
      assert.strictEqual(hazard(belief, 10.9 * MIN), 0);
      assert.strictEqual(survival(belief, 11 * MIN), 1);
      // Index builds then take a quarter of the copy's time at the median.
      assert.ok(Math.abs(medianOf(belief) - 13.5 * MIN) <= 1, String(medianOf(belief)));
    });

    it("puts the copy's end between the last copying reading and the first finalizing one", () => {
      const belief = copyBelief([
        read(1 * MIN, "INITIALIZING", 0),
        read(3 * MIN, "IN_PROGRESS", 500),
        read(5 * MIN, "FINALIZING", 1000),
      ])!;
      assert.strictEqual(belief.parts[0]!.offsetMs, 4 * MIN);
    });

    it("keeps what earlier jobs say while the copy ends in time, only ruling out an earlier end", () => {
      const history = beliefFromLengths([20 * MIN, 22 * MIN, 21 * MIN])!;
      const readings = [read(2 * MIN, "IN_PROGRESS", 100), read(4 * MIN, "IN_PROGRESS", 300)];
      const belief = copyBelief(readings, history)!;
      assert.strictEqual(belief.source, "history");
      assert.strictEqual(belief.notBeforeMs, 11 * MIN);
      assert.deepStrictEqual(belief.parts, history.parts);
    });

    it("drops earlier jobs' word when the copy alone outlasts them", () => {
      const history = beliefFromLengths([5 * MIN, 5.5 * MIN, 5.2 * MIN])!;
      const readings = [read(2 * MIN, "IN_PROGRESS", 100), read(4 * MIN, "IN_PROGRESS", 300)];
      assert.strictEqual(copyBelief(readings, history)!.source, "progress");
    });
  });
});

import assert from "node:assert";

import sinon from "sinon";

import { type Bucket, takeToken } from "../../../emulator/faults/rate-limit";
import { createRateLimiter, type LimiterAnswer, type Release } from "../../../provider/atlas/rate-limiter";
import { parseRetryAfter } from "../../../provider/atlas/retry-policy";
import { systemClock } from "../../../provider/waiting/clock";

const answer = (status: number | undefined, headers: Record<string, string> = {}): LimiterAnswer => ({
  status,
  header: (name) => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1],
});

/** A limiter that spends every token an answer reports, as when no other process shares the credential. */
const alone = () => createRateLimiter(systemClock, undefined, { share: 1 });

/** Lets every settled promise run its callbacks without moving time. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("rate limiter", () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => {
    timers = sinon.useFakeTimers({ now: Date.UTC(2026, 11, 1), toFake: ["setTimeout", "Date"] });
  });
  afterEach(() => sinon.restore());

  it("sends one request until an answer says whether there is a limit, then lets all through when none", async () => {
    const limiter = createRateLimiter(systemClock);
    const first = await limiter.acquire();
    let second = false;
    const waiting = limiter.acquire().then((release) => {
      second = true;
      return release;
    });
    await settle();
    assert.strictEqual(second, false);
    first(answer(200));
    (await waiting)(answer(200));
    const rest = await Promise.all(Array.from({ length: 50 }, () => limiter.acquire()));
    assert.strictEqual(rest.length, 50);
  });

  it("learns nothing from the token request, whose answer reports no budget", async () => {
    const limiter = createRateLimiter(systemClock);
    (await limiter.acquire({ budgeted: false }))(answer(200));
    await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await settle();
    assert.strictEqual(second, false, "the first API request is still the only one in flight");
  });

  it("does not take digest's bare first request, answered 401 without headers, for the absence of a limit", async () => {
    const limiter = createRateLimiter(systemClock);
    (await limiter.acquire())(answer(401));
    await limiter.acquire();
    let second = false;
    void limiter.acquire().then(() => (second = true));
    await settle();
    assert.strictEqual(second, false);
  });

  it("after a 429 from an API that reports no budget, doubles the pace with every answer", async () => {
    const limiter = createRateLimiter(systemClock);
    (await limiter.acquire())(answer(200));
    (await limiter.acquire())(answer(429, { "Retry-After": "1" }));
    const granted: number[] = [];
    const waiting = Array.from({ length: 7 }, (_, i) =>
      limiter.acquire().then((release) => {
        granted.push(i);
        return release;
      }),
    );
    await timers.tickAsync(1_000);
    assert.deepStrictEqual(granted, [0], "one probe after Retry-After");
    (await waiting[0]!)(answer(200));
    await settle();
    assert.deepStrictEqual(granted, [0, 1, 2]);
    for (const release of await Promise.all(waiting.slice(1, 3))) release(answer(200));
    await settle();
    assert.deepStrictEqual(granted, [0, 1, 2, 3, 4, 5, 6]);
  });

  it("lets through what RateLimit-Remaining allows, keeping the last token for a create, then waits", async () => {
    const limiter = alone();
    (await limiter.acquire())(answer(200, { "RateLimit-Limit": "3", "RateLimit-Remaining": "3" }));
    let granted = 0;
    for (let i = 0; i < 5; i++) void limiter.acquire().then(() => granted++);
    await settle();
    assert.strictEqual(granted, 2);
    let create = false;
    void limiter.acquire({ urgent: true }).then(() => (create = true));
    await settle();
    assert.strictEqual(create, true);
    assert.strictEqual(granted, 2);
  });

  it("ignores an answer that arrives after a later request's: its Remaining is older and spent", async () => {
    const limiter = alone();
    (await limiter.acquire())(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "4" }));
    const [a, b, c, d] = await Promise.all(
      Array.from({ length: 4 }, () => limiter.acquire({ urgent: true })),
    );
    // The server counted a, b, c, d in that order (Remaining 3, 2, 1, 0); d's answer comes back first.
    d!(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "0" }));
    a!(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "3" }));
    let create = false;
    void limiter.acquire({ urgent: true }).then((release) => {
      create = true;
      release(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "0" }));
    });
    await settle();
    assert.strictEqual(create, false, "a's Remaining of 3 was taken for the bucket's level");
    b!(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "2" }));
    c!(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "1" }));
    await settle();
    assert.strictEqual(create, false);
    // Spent with the refill rate unknown: one probe once the pause has passed.
    await timers.tickAsync(1_000);
    assert.strictEqual(create, true);
  });

  it("spends only its share of what an answer reports: half, by default", async () => {
    const limiter = createRateLimiter(systemClock);
    (await limiter.acquire())(answer(200, { "RateLimit-Limit": "20", "RateLimit-Remaining": "10" }));
    let granted = 0;
    for (let i = 0; i < 10; i++) void limiter.acquire().then(() => granted++);
    await settle();
    // Half of 10, less the token kept for a create.
    assert.strictEqual(granted, 4);
  });

  it("sharing the credential, takes a later answer's higher level only above the other process's share", async () => {
    const limiter = createRateLimiter(systemClock);
    const limits = (remaining: number) => ({
      "RateLimit-Limit": "20",
      "RateLimit-Remaining": String(remaining),
    });
    (await limiter.acquire())(answer(200, limits(10)));
    let granted = 0;
    const held: Release[] = [];
    for (let i = 0; i < 20; i++)
      void limiter.acquire().then((release) => {
        granted++;
        held.push(release);
      });
    await settle();
    assert.strictEqual(granted, 4, "half of 10, less the token kept for a create");
    // 12 left: half is 6, but the other process may hold up to 10 of them and be about to spend them.
    held.shift()!(answer(200, limits(12)));
    await settle();
    assert.strictEqual(granted, 4);
    // 15 left with 2 of its own still in flight: 5 above the other's 10, less those 2, are its own.
    held.shift()!(answer(200, limits(15)));
    await settle();
    assert.strictEqual(granted, 6, "3 tokens, less the one kept for a create");
  });

  it("holds every request until a 429's Retry-After has passed", async () => {
    const limiter = createRateLimiter(systemClock);
    (await limiter.acquire())(answer(200));
    const release = await limiter.acquire();
    release(answer(429, { "Retry-After": "3", "RateLimit-Remaining": "0" }));
    let granted = false;
    void limiter.acquire().then(() => (granted = true));
    await timers.tickAsync(2_999);
    assert.strictEqual(granted, false);
    await timers.tickAsync(1);
    assert.strictEqual(granted, true);
  });

  it("serves urgent requests (restore creates) before queued polls", async () => {
    const limiter = createRateLimiter(systemClock);
    (await limiter.acquire())(answer(200, { "RateLimit-Limit": "5", "RateLimit-Remaining": "0" }));
    const order: string[] = [];
    for (let i = 0; i < 3; i++) void limiter.acquire().then((r) => (order.push(`poll${i}`), r(answer(200))));
    void limiter.acquire({ urgent: true }).then((r) => (order.push("create"), r(answer(200))));
    await timers.tickAsync(1_000);
    assert.strictEqual(order[0], "create");
  });

  /**
   * Drives `count` requests through `processes` limiters (each request through one of them in turn)
   * against the emulator's own token bucket, each retried after `Retry-After` on a 429 as the
   * transport does. Returns the 429s, those of urgent requests, and the simulated time.
   */
  async function burst(
    count: number,
    capacity: number,
    refillPerSecond: number,
    latencyMs: number,
    processes = 1,
  ) {
    const limiters = Array.from({ length: processes }, () =>
      processes === 1 ? alone() : createRateLimiter(systemClock),
    );
    let bucket: Bucket | undefined;
    let refused = 0;
    let refusedUrgent = 0;
    const started = Date.now();
    const one = async (urgent: boolean, limiter: (typeof limiters)[number]) => {
      for (;;) {
        const release = await limiter.acquire({ urgent });
        await new Promise((resolve) => setTimeout(resolve, latencyMs));
        const decision = takeToken(bucket, Date.now(), { capacity, refillPerSecond });
        bucket = decision.bucket;
        const reply = answer(decision.allowed ? 200 : 429, decision.headers);
        release(reply);
        if (decision.allowed) return;
        refused++;
        if (urgent) refusedUrgent++;
        const seconds = parseRetryAfter(reply.header("retry-after"), Date.now()) ?? 1;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      }
    };
    const all = Promise.all(
      Array.from({ length: count }, (_, i) => one(i % 7 === 0, limiters[i % processes]!)),
    );
    while (!(await Promise.race([all.then(() => true), settle().then(() => false)]))) {
      await timers.tickAsync(10);
    }
    return { refused, refusedUrgent, elapsedMs: Date.now() - started };
  }

  const cases: [number, number, number, number][] = [
    // [requests, burst, refill per second, server latency ms]
    [300, 20, 10, 30],
    [400, 20, 10, 5],
    [120, 5, 2, 50],
    [500, 100, 50, 20],
  ];
  for (const [count, capacity, rate, latency] of cases) {
    it(`queues ${count} requests under a ${capacity} burst / ${rate}/s limit: ≤ 5 % refused, ≤ 1.1 × the floor`, async () => {
      const { refused, elapsedMs } = await burst(count, capacity, rate, latency);
      const floorMs = ((count - capacity) / rate) * 1000;
      assert.ok(refused <= 0.05 * count, `${refused} of ${count} refused`);
      assert.ok(elapsedMs <= 1.1 * floorMs, `${elapsedMs} ms against a floor of ${floorMs} ms`);
    });
  }

  const shared: [number, number, number, number][] = [
    [300, 20, 10, 30],
    [400, 20, 10, 5],
    [120, 5, 2, 50],
  ];
  for (const [count, capacity, rate, latency] of shared) {
    it(`two processes on one credential, ${count} requests under ${capacity} / ${rate}/s: ≤ 0.5 % refused, no create`, async () => {
      const { refused, refusedUrgent } = await burst(count, capacity, rate, latency, 2);
      assert.ok(refused <= 0.005 * count, `${refused} of ${count} refused`);
      assert.strictEqual(refusedUrgent, 0);
    });
  }

  /**
   * An `up` of 50 restores as the two processes make it: the provider process lists, then creates,
   * eight at a time (the engine's parallelism); the program's looks at each job soon after its start,
   * again once it has ended (2 s), then reads its target. Server latency of each way is drawn from
   * `seed`. Returns the 429s, those of creates, the longest pause between two requests the server saw,
   * and the time taken against the bucket's floor for the requests it accepted.
   */
  async function restoresUp(seed: number, latencyMs: number) {
    let draw = seed * 7919;
    const random = () => (draw = (draw * 48271) % 2147483647) / 2147483647;
    const [provider, program] = [createRateLimiter(systemClock), createRateLimiter(systemClock)];
    const limits = { capacity: 20, refillPerSecond: 10 };
    let bucket: Bucket | undefined;
    let refused = 0;
    let refusedCreates = 0;
    const seen: number[] = [];
    const started = Date.now();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const send = async (limiter: typeof provider, urgent = false) => {
      for (;;) {
        const release = await limiter.acquire({ urgent });
        await sleep(2 + (random() * latencyMs) / 2);
        const decision = takeToken(bucket, Date.now(), limits);
        bucket = decision.bucket;
        seen.push(Date.now());
        await sleep(2 + (random() * latencyMs) / 2);
        const reply = answer(decision.allowed ? 200 : 429, decision.headers);
        release(reply);
        if (decision.allowed) return;
        refused++;
        if (urgent) refusedCreates++;
        await sleep((parseRetryAfter(reply.header("retry-after"), Date.now()) ?? 1) * 1000);
      }
    };
    let steps = 8;
    const queued: (() => void)[] = [];
    const waits: Promise<void>[] = [];
    const restore = async (i: number) => {
      while (steps === 0) await new Promise<void>((resolve) => queued.push(resolve));
      steps--;
      if (i === 0) await Promise.all([send(provider), send(provider)]);
      await send(provider, true);
      const createdAt = Date.now();
      steps++;
      queued.shift()?.();
      waits.push(
        (async () => {
          await sleep(100 + random() * 200);
          await send(program);
          await sleep(Math.max(0, createdAt + 2_000 - Date.now()));
          await send(program);
          await send(program);
        })(),
      );
    };
    const all = Promise.all(Array.from({ length: 50 }, (_, i) => restore(i))).then(() => Promise.all(waits));
    while (!(await Promise.race([all.then(() => true), settle().then(() => false)]))) {
      await timers.tickAsync(10);
    }
    const longestPauseMs = Math.max(...seen.slice(1).map((at, i) => at - seen[i]!));
    const floorMs = ((seen.length - refused - limits.capacity) / limits.refillPerSecond) * 1000;
    return {
      requests: seen.length,
      refused,
      refusedCreates,
      longestPauseMs,
      overFloor: (Date.now() - started) / floorMs,
    };
  }

  for (const latencyMs of [20, 60, 150])
    it(`an up of 50 restores, server latency up to ${latencyMs} ms: no create refused, no pause over 2 s, ≤ 1.2 × the floor`, async () => {
      for (let seed = 1; seed <= 10; seed++) {
        const run = await restoresUp(seed, latencyMs);
        const at = `seed ${seed}: ${JSON.stringify(run)}`;
        assert.strictEqual(run.refusedCreates, 0, at);
        assert.ok(run.refused <= 0.005 * run.requests, at);
        assert.ok(run.longestPauseMs <= 2_000, at);
        assert.ok(run.overFloor <= 1.2, at);
      }
    });
});

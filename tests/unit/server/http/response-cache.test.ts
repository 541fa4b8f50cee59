import { describe, expect, it } from 'vitest';
import { createResponseCache } from '../../../../server/http/response-cache.js';

/** A build that answers when released, counting its calls. */
function gatedBuild(text: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const build = Object.assign(
    async () => {
      build.calls++;
      await gate;
      return text;
    },
    { calls: 0 },
  );
  return { build, release };
}

describe('the response cache', () => {
  it('builds an answer once for requests that ask for it while it is being built', async () => {
    const cache = createResponseCache(async () => 'v1');
    const { build, release } = gatedBuild('{"n":1}');
    const answers = Promise.all([cache.body('k', build), cache.body('k', build), cache.body('k', build)]);
    await new Promise((r) => setTimeout(r, 5));
    release();
    const [a, b, c] = await answers;
    expect(build.calls).toBe(1);
    expect(a.body.toString()).toBe('{"n":1}');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(cache.stats()).toEqual({ hits: 2, misses: 1 });
    // Kept: a later request is answered from the cache.
    expect((await cache.body('k', async () => 'other')).body.toString()).toBe('{"n":1}');
  });

  it('passes a failed build on to everyone waiting for it, and builds anew on the next request', async () => {
    const cache = createResponseCache(() => 'v1');
    let calls = 0;
    const failing = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('database gone');
    };
    const results = await Promise.allSettled([cache.body('k', failing), cache.body('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect((await cache.body('k', async () => '{"ok":true}')).body.toString()).toBe('{"ok":true}');
  });

  it('does not hand a build begun before a change to a request made after it', async () => {
    let version = 'v1';
    const cache = createResponseCache(() => version);
    const old = gatedBuild('{"old":true}');
    const first = cache.body('k', old.build);
    version = 'v2'; // a commit, then another request for the same list
    const second = cache.body('k', async () => '{"new":true}');
    old.release();
    expect((await first).body.toString()).toBe('{"old":true}');
    expect((await second).body.toString()).toBe('{"new":true}');
    // The old answer was not filed under the new version.
    expect((await cache.body('k', async () => '{"again":true}')).body.toString()).toBe('{"new":true}');
  });
});

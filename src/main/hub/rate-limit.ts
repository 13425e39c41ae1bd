/**
 * A token bucket per caller (a token's hash, or an address before authentication): `burst`
 * requests at once, refilled at `perSecond`. Each hub process keeps its own buckets, so behind a
 * load balancer of N processes a caller gets at most N times the rate.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Null when the request may go on (and it is counted); otherwise how many seconds to wait. */
  take(caller: string): number | null {
    const wait = this.waitFor(caller);
    if (wait === null) this.buckets.get(caller)!.tokens -= 1;
    return wait;
  }

  /** Like `take`, without counting a request. */
  waitFor(caller: string): number | null {
    const now = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.forgetFull();
    return bucket.tokens < 1 ? Math.ceil((1 - bucket.tokens) / this.perSecond) : null;
  }

  private forgetFull(): void {
    for (const [caller, bucket] of this.buckets) if (bucket.tokens >= this.burst - 1) this.buckets.delete(caller);
  }
}

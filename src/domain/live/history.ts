// The live feed's sparkline points for every sensor, in one preallocated ring buffer: the last
// `capacity` (ts, value) pairs per sensor in a single Float64Array, with a write position and
// a length per sensor. The worker keeps the points of all sensors (3,711 in the demo city) so
// that a sensor picked in the inspector shows its recent past at once. Kept as arrays of pairs,
// those histories grew the worker's heap by ~7 MB in a 60 s bench run as they filled, and every
// push past the cap spliced an array; here the memory is taken once, at start, and a push
// writes two numbers. Pure: tested in node.

export type HistoryPoint = [ts: number, value: number];

export class HistoryStore {
  private readonly buf: Float64Array;
  /** Next write slot, per sensor. */
  private readonly head: Int32Array;
  /** Points held (≤ capacity), per sensor. */
  private readonly held: Int32Array;
  /** Points ever pushed, per sensor (a batch sends only the points added since the last one). */
  private readonly pushed: Float64Array;

  constructor(
    readonly sensorCount: number,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(sensorCount) || sensorCount < 0) throw new Error(`HistoryStore: bad sensor count ${sensorCount}`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`HistoryStore: capacity must be a positive integer, got ${capacity}`);
    this.buf = new Float64Array(sensorCount * capacity * 2);
    this.head = new Int32Array(sensorCount);
    this.held = new Int32Array(sensorCount);
    this.pushed = new Float64Array(sensorCount);
  }

  /** Bytes taken by the buffers (the same from the first reading to the last). */
  get byteLength(): number {
    return this.buf.byteLength + this.head.byteLength + this.held.byteLength + this.pushed.byteLength;
  }

  push(sensor: number, ts: number, value: number) {
    const slot = this.head[sensor];
    const at = (sensor * this.capacity + slot) * 2;
    this.buf[at] = ts;
    this.buf[at + 1] = value;
    this.head[sensor] = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.held[sensor] < this.capacity) this.held[sensor]++;
    this.pushed[sensor]++;
  }

  /** Points held for a sensor. */
  length(sensor: number): number {
    return this.held[sensor];
  }

  /** Points ever pushed for a sensor. */
  count(sensor: number): number {
    return this.pushed[sensor];
  }

  /** The newest `n` points (all held ones when n is omitted or larger), oldest first. */
  tail(sensor: number, n = this.held[sensor]): HistoryPoint[] {
    const k = Math.max(0, Math.min(n, this.held[sensor]));
    const out: HistoryPoint[] = new Array(k);
    const base = sensor * this.capacity;
    // The oldest of the k newest points sits k slots behind the write position.
    let slot = (this.head[sensor] - k + this.capacity) % this.capacity;
    for (let i = 0; i < k; i++) {
      const at = (base + slot) * 2;
      out[i] = [this.buf[at], this.buf[at + 1]];
      slot = slot + 1 === this.capacity ? 0 : slot + 1;
    }
    return out;
  }
}

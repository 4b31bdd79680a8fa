import type { KmsConnection, KmsConnectionEvent, KmsProbe, KmsReport } from '../kms-connection';

/** A report as the emulator would give it. */
export function sampleReport(overrides: Partial<KmsReport> = {}): KmsReport {
  return {
    version: '7.3.0',
    cpuCount: 4,
    usedCpuPercent: 12.5,
    usedMemoryKiB: 204_800,
    pipelines: 3,
    startedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

type Behaviour = (deadlineMs: number) => KmsProbe | Promise<KmsProbe>;

/**
 * A scripted KMS connection: each probe does what the current behaviour says (answer, fail, hang, throw),
 * and the test emits connection events by hand.
 */
export class FakeKmsConnection implements KmsConnection {
  /** The deadline of every probe started, in order. */
  readonly probes: number[] = [];
  /** Probes started and not yet settled. */
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  private behaviour: Behaviour = () => ({ ok: true, report: sampleReport() });
  private readonly listeners = new Set<(event: KmsConnectionEvent) => void>();

  /** Every probe from now on succeeds with this report. */
  up(report: KmsReport = sampleReport()): this {
    this.behaviour = () => ({ ok: true, report });
    return this;
  }

  /** Every probe from now on fails with this reason. */
  down(reason = 'not connected to the KMS: connect ECONNREFUSED'): this {
    this.behaviour = () => ({ ok: false, reason });
    return this;
  }

  /** Every probe from now on never settles. */
  hang(): this {
    this.behaviour = () => new Promise<KmsProbe>(() => {});
    return this;
  }

  /** Every probe from now on throws synchronously (a broken connection implementation). */
  throwing(error = new Error('boom')): this {
    this.behaviour = () => {
      throw error;
    };
    return this;
  }

  /** Every probe from now on rejects. */
  rejecting(error = new Error('rejected')): this {
    this.behaviour = () => Promise.reject(error);
    return this;
  }

  /** Any behaviour, e.g. a probe that settles later. */
  behave(behaviour: Behaviour): this {
    this.behaviour = behaviour;
    return this;
  }

  emit(event: KmsConnectionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  probe(deadlineMs: number): Promise<KmsProbe> {
    this.probes.push(deadlineMs);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const done = () => {
      this.inFlight -= 1;
    };
    let result: Promise<KmsProbe>;
    try {
      result = Promise.resolve(this.behaviour(deadlineMs));
    } catch (error) {
      done();
      throw error;
    }
    result.then(done, done);
    return result;
  }

  onEvent(listener: (event: KmsConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}

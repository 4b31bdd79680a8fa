import { WebSocket } from 'ws';
import type { Peer } from './kms-process';

/** One frame on the wire, as seen by the emulator. */
export interface WireFrame {
  direction: 'in' | 'out';
  /** Connection number, from 1, unique for the emulator's lifetime. */
  connection: number;
  text: string;
}

/** Observes every frame in and out (the conformance tests read the wire through it). */
export type FrameTap = (frame: WireFrame) => void;

/** A client socket: sends text frames while open, and reports them to the tap. */
export class Connection implements Peer {
  readonly id: number;
  private readonly socket: WebSocket;
  private readonly tap: FrameTap | undefined;

  constructor(id: number, socket: WebSocket, tap: FrameTap | undefined) {
    this.id = id;
    this.socket = socket;
    this.tap = tap;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  received(text: string): void {
    this.tap?.({ direction: 'in', connection: this.id, text });
  }

  send(text: string): void {
    if (!this.isOpen) return;
    this.tap?.({ direction: 'out', connection: this.id, text });
    this.socket.send(text);
  }

  /** Drops the TCP connection without a close handshake, like a network failure. */
  terminate(): void {
    this.socket.terminate();
  }
}

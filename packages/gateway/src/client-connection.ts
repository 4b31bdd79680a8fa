import { WebSocket } from 'ws';
import type { ClientLink, VirtualSession } from './sessions';

/** An application's socket: frames out, and the virtual session it is linked to. */
export class ClientConnection implements ClientLink {
  session: VirtualSession | undefined;
  readonly socket: WebSocket;

  constructor(socket: WebSocket) {
    this.socket = socket;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(text: string): void {
    if (this.isOpen) this.socket.send(text);
  }
}

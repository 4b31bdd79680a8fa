import { describe, expect, it } from 'vitest';
import { useEmulator } from '../conformance/helpers';
import { ControlError, parseCommandLine, runCommand } from './commands';
import { startControlServer } from './http';

describe('parseCommandLine', () => {
  it.each([
    ['status', { name: 'status', args: {} }],
    ['  stall on  port=8888 ', { name: 'stall', args: { _: 'on', port: '8888' } }],
    ['restart down=2000', { name: 'restart', args: { down: '2000' } }],
    ['LOAD cpu=80 memory=1024', { name: 'load', args: { cpu: '80', memory: '1024' } }],
  ])('%j', (line, command) => {
    expect(parseCommandLine(line)).toStrictEqual(command);
  });
});

describe('runCommand', () => {
  const kms = useEmulator();

  it('applies commands to the emulator on the given port, or to all', async () => {
    const first = await kms.start();
    const second = await kms.start();
    const emulators = [first, second];

    const status = await runCommand(emulators, parseCommandLine(`stall on port=${second.port}`));
    expect(status).toEqual([expect.objectContaining({ port: second.port, stalled: true })]);
    expect(first.snapshot().stalled).toBe(false);

    await runCommand(emulators, parseCommandLine('delay 25'));
    expect(emulators.map((e) => e.snapshot().delayMs)).toEqual([25, 25]);

    const before = first.serverId;
    await runCommand(emulators, parseCommandLine(`restart port=${first.port}`));
    expect(first.serverId).not.toBe(before);

    await runCommand(emulators, parseCommandLine(`kill port=${second.port}`));
    expect(second.snapshot().up).toBe(false);
    await runCommand(emulators, parseCommandLine('start'));
    expect(second.snapshot().up).toBe(true);

    await expect(runCommand(emulators, parseCommandLine('stall maybe'))).rejects.toThrow(
      'stall needs on or off',
    );
    await expect(runCommand(emulators, parseCommandLine('load'))).rejects.toThrow(ControlError);
    await expect(runCommand(emulators, parseCommandLine('drop port=1'))).rejects.toThrow(
      'no emulator on port 1',
    );
    await expect(runCommand(emulators, parseCommandLine('explode'))).rejects.toThrow(
      "unknown command 'explode'",
    );
  });

  it('serves the same commands over HTTP', async () => {
    const emulator = await kms.start();
    const control = await startControlServer('127.0.0.1', 0, (command) => runCommand([emulator], command));
    try {
      const stalled = await fetch(`${control.url}/stall?on=true`, { method: 'POST' });
      expect(stalled.status).toBe(200);
      expect(await stalled.json()).toEqual([expect.objectContaining({ port: emulator.port, stalled: true })]);

      const load = await fetch(`${control.url}/load?cpu=55&memory=4096`, { method: 'POST' });
      expect(load.status).toBe(200);
      const status = await fetch(`${control.url}/status`);
      expect(await status.json()).toEqual([expect.objectContaining({ up: true, stalled: true })]);

      const bad = await fetch(`${control.url}/nope`, { method: 'POST' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: "unknown command 'nope'" });
      expect((await fetch(`${control.url}/drop`)).status).toBe(405);
    } finally {
      await control.close();
    }
  });
});

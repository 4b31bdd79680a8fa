import { AsyncLocalStorage } from 'node:async_hooks';
import { expect, it, vi } from 'vitest';

it('renders the shell without turning on AsyncLocalStorage (an async_hooks tax on every later promise)', async () => {
  const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
  const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
  const names = ['getBuiltinModule', 'mainModule'];
  const before = names.map((name) => Object.getOwnPropertyDescriptor(process, name));
  const { shellHtml } = await import('./shell');
  // process is given back exactly as it was: nothing replaced, nothing added.
  expect(names.map((name) => Object.getOwnPropertyDescriptor(process, name))).toEqual(before);
  expect(shellHtml).toMatch(/^<!doctype html><html lang="en"><head>/);
  expect(shellHtml).toContain('<title>kurento-fleet dashboard</title>');
  expect(run).not.toHaveBeenCalled();
  expect(enterWith).not.toHaveBeenCalled();
});

// A minimal observable value (instead of a state library): components read it with useSignal().
import { useEffect, useState } from "preact/hooks";

export class Signal<T> {
  private current: T;
  private listeners = new Set<(v: T) => void>();
  constructor(value: T) {
    this.current = value;
  }
  get value(): T {
    return this.current;
  }
  set value(v: T) {
    if (Object.is(v, this.current)) return;
    this.current = v;
    for (const fn of [...this.listeners]) fn(v);
  }
  subscribe(fn: (v: T) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

export const signal = <T,>(value: T) => new Signal(value);

export function useSignal<T>(s: Signal<T>): T {
  const [, force] = useState(0);
  useEffect(() => s.subscribe(() => force((n) => n + 1)), [s]);
  return s.value;
}

// A minimal store: state is replaced by named pure updaters from src/domain/state.ts.
// The UI and the automation API (window.warmcity) read and drive the same store.
import { useSyncExternalStore } from "react";
import type { AppState } from "../domain/state";

export type Updater = (s: AppState) => AppState;

export interface Store {
  get(): AppState;
  dispatch(u: Updater): void;
  subscribe(fn: () => void): () => void;
}

export function createStore(initial: AppState): Store {
  let state = initial;
  const subs = new Set<() => void>();
  return {
    get: () => state,
    dispatch(u) {
      const next = u(state);
      if (next === state) return;
      state = next;
      for (const fn of subs) fn();
    },
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
  };
}

export function useStore(store: Store): AppState {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

// The bars that sit at the bottom of the scene between the docks register here: the tour
// player with its caption (order 0, lowest) and the live strip (order 1, stacked above it).
// Each bar stands on top of the bars of lower order that have a height, and the inspector's
// toolbar stands on top of them all. A registry rather than DOM queries at every render: a bar
// that mounts later (the live strip comes with its lazy chunk) or grows (rows added) moves the
// others at once, and nothing forces a page layout on every store change.
import { useMemo } from "react";

interface Bar {
  el: HTMLElement;
  order: number;
}
const bars = new Set<Bar>();
const listeners = new Set<() => void>();
const GAP_PX = 6;

/** The top edge (client px) of the highest registered bar below `order` that has a height. */
function topBelow(order: number): number | undefined {
  let top = Infinity;
  for (const b of bars) {
    if (b.order >= order) continue;
    const r = b.el.getBoundingClientRect();
    if (r.height > 0) top = Math.min(top, r.top);
  }
  return Number.isFinite(top) ? top : undefined;
}

/**
 * Sets `el`'s CSS `bottom` so that it stands on the registered bars below `order` (all of them
 * by default), or clears it (its stylesheet's `bottom` applies) when none of them has a height.
 */
export function standOnBars(el: HTMLElement, order = Infinity): void {
  const parent = el.offsetParent?.getBoundingClientRect();
  if (!parent) return; // not laid out (hidden): placed at the next change
  const top = topBelow(order);
  const bottom = top !== undefined ? `${Math.round(parent.bottom - top + GAP_PX)}px` : "";
  if (el.style.bottom !== bottom) el.style.bottom = bottom;
}

/** Stacks the bars (lowest order first: each stands on the ones placed before it), then tells the listeners. */
function relayout() {
  for (const b of [...bars].sort((x, y) => x.order - y.order)) standOnBars(b.el, b.order);
  listeners.forEach((l) => l());
}

/**
 * A callback ref for a bottom bar of the given order: registers the element while it is mounted,
 * watches its size and stacks it above the bars of lower order (its CSS `bottom` applies when
 * there are none).
 */
export function useBottomBarRef(order: number): (el: HTMLElement | null) => void {
  return useMemo(() => {
    let current: Bar | undefined;
    let ro: ResizeObserver | undefined;
    return (el: HTMLElement | null) => {
      if (el === (current?.el ?? null)) return;
      if (current) {
        ro?.disconnect();
        bars.delete(current);
      }
      current = el ? { el, order } : undefined;
      if (current) {
        bars.add(current);
        ro = new ResizeObserver(relayout);
        ro.observe(current.el);
      }
      relayout();
    };
  }, [order]);
}

/** Calls `cb` after the bars were stacked anew (a bar mounted, unmounted or changed size); returns the unsubscribe. */
export function onBottomBars(cb: () => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** The stacking order of the bottom bars, lowest first. */
export const BOTTOM_BAR = { tour: 0, live: 1 } as const;

// Small inline SVG icons: the CJK fonts on the target machines have no media-control or emoji
// glyphs (⏮ ⏸ 🔁 … render as empty boxes), so the player draws its own.
const P = { width: "1em", height: "1em", viewBox: "0 0 24 24", fill: "currentColor", "aria-hidden": true } as const;
const S = { ...P, fill: "none", stroke: "currentColor", strokeWidth: 2.2, strokeLinecap: "round", strokeLinejoin: "round" } as const;

export const IconPlay = () => (
  <svg {...P}>
    <path d="M7 4.5v15l13-7.5z" />
  </svg>
);
export const IconPause = () => (
  <svg {...P}>
    <rect x="6" y="4.5" width="4.2" height="15" rx="1" />
    <rect x="13.8" y="4.5" width="4.2" height="15" rx="1" />
  </svg>
);
export const IconPrev = () => (
  <svg {...P}>
    <rect x="4.5" y="5" width="3" height="14" rx="1" />
    <path d="M20 5v14L8.5 12z" />
  </svg>
);
export const IconNext = () => (
  <svg {...P}>
    <rect x="16.5" y="5" width="3" height="14" rx="1" />
    <path d="M4 5v14l11.5-7z" />
  </svg>
);
export const IconLoop = () => (
  <svg {...S}>
    <path d="M4 11V9a3 3 0 0 1 3-3h12l-3-3M20 13v2a3 3 0 0 1-3 3H5l3 3" />
  </svg>
);
export const IconOrbit = () => (
  <svg {...S}>
    <ellipse cx="12" cy="13" rx="9" ry="4.5" />
    <path d="M12 3v8" />
    <path d="M17.5 8.2l3.2.6-1 3" />
  </svg>
);
export const IconLink = () => (
  <svg {...S}>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </svg>
);
export const IconFullscreen = () => (
  <svg {...S}>
    <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" />
  </svg>
);
export const IconEdit = () => (
  <svg {...S}>
    <path d="M4 20h4L19 9l-4-4L4 16z" />
  </svg>
);

// The pipe layers (and their nodes) are read twice: by the scene (their surface lines) and by
// the inspector (the tubes, hit lists, filter counts). Without this each was fetched and parsed
// twice in the one parse worker a 2-core machine gets — part of why the pipe bench found the
// app's pipe layers slower to ready than the same pipes as entities. Only layers drawn
// underground are shared (their data is kept by the inspector anyway); others load per call.
import type { LayerSpec } from "../domain/catalog";
import type { ParsedLayer } from "../domain/geojson";

type Load = (spec: LayerSpec, onProgress: (p: number) => void) => Promise<ParsedLayer>;

export function parseOnce(load: Load): Load {
  const shared = new Map<string, Promise<ParsedLayer>>();
  return (spec, onProgress) => {
    if (!spec.underground || spec.url.startsWith("analysis:")) return load(spec, onProgress);
    const key = `${spec.kind}|${spec.url}`;
    let p = shared.get(key);
    if (!p) {
      p = load(spec, onProgress);
      shared.set(key, p);
      p.catch(() => shared.delete(key));
    }
    return p;
  };
}

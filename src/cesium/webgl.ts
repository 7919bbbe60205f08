// The WebGL renderer string (e.g. "ANGLE (… SwiftShader …)"), read from a throwaway context so
// the quality setting can be chosen before the viewer's own context is created. Read once per
// page: the app's panels and the viewer both ask, and every context costs the GPU process.
let cached: { renderer: string | undefined } | undefined;

export function webglRenderer(): string | undefined {
  cached ??= { renderer: readRenderer() };
  return cached.renderer;
}

function readRenderer(): string | undefined {
  try {
    const c = document.createElement("canvas");
    const gl = (c.getContext("webgl2") ?? c.getContext("webgl")) as WebGLRenderingContext | null;
    if (!gl) return undefined;
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const r = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return typeof r === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

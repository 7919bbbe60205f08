// Planning analyses of the cockpit — pure TypeScript (no DOM, no cesium, no node), so they can
// run in a Web Worker; every result is a plain serialisable object.
//
//   greenAccess(buildings, green, parks, opts)        300米见绿、500米见园
//   lifeCircle(buildings, facilities, parks, opts)    15分钟生活圈
//   pipeCondition(pipes, opts)                        管网年龄 / 燃气管道超20年未改造
//   waterloggingRisk(points, pipes, roads, opts)      城市内涝 risk screening
//
// Each runs in a local equirectangular projection centred on its input (error ≤ 0.2 % over the
// Ordos extent, see projection.ts) with Flatbush / KDBush indexes and exact planar refinement.
// The naive* twins do every pair with turf on the sphere: the benchmark baseline and the
// reference the tests cross-check against. Bad features are skipped and counted (`skipped`).
export * from "./types";
export { greenAccess } from "./greenAccess";
export { lifeCircle, DEFAULT_LIFE_CIRCLE_REQUIRED } from "./lifeCircle";
export { pipeCondition, ageClassOf, AGE_CLASSES, STANDARD_NETWORKS } from "./pipeCondition";
export { waterloggingRisk, DEFAULT_WATERLOGGING_WEIGHTS } from "./waterloggingRisk";
export { naiveGreenAccess, naiveLifeCircle, naivePipeCondition, naiveWaterloggingRisk } from "./naive";
export { makeProjection, projectionForFeatures, EARTH_RADIUS_M, type LocalProjection } from "./projection";
export type { FeaturesInput } from "./features";
// Building blocks, for other analyses (metric coordinates from the projection above).
export { SegmentIndex, PolygonIndex, PointIndex } from "./spatial";
export { syntheticCity, seededRandom, type SyntheticCity, type SyntheticCityOptions } from "./synthetic";

// `npm run simulate -- [options]`: publishes the live city's sensor feed to an MQTT broker,
// records it, or replays a recording.
//
//   --broker mqtt://127.0.0.1:1883   broker to publish to ("none": only record)
//   --username simulator             MQTT user (password from WARMCITY_MQTT_PASSWORD or --password)
//   --rate 500                       messages per second (1–5000; default: the natural schedule, ≈ 30/s)
//   --clock 10                       sim seconds per real second (default 1)
//   --seed 1 --duration 600          seed; stop after N real seconds (default: run until Ctrl-C)
//   --storm-at 20 --gas-at 40 --heating-at 60   sim seconds after start of the storm, gas drop, heating fault
//   --record storm.ndjson            also write every message to an NDJSON file
//   --replay storm.ndjson --speed 60 replay a recording at 1×–120×
import mqtt from "mqtt";
import { replay, runSimulation, MAX_RATE, type Sink } from "./runner";

export class ArgsError extends Error {}

export interface SimulateArgs {
  broker: string;
  username?: string;
  password?: string;
  rate?: number;
  clock: number;
  seed: number;
  durationS?: number;
  record?: string;
  replay?: string;
  speed: number;
  events: { stormAtS?: number; gasDropAtS?: number; heatingFaultAtS?: number };
}

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const a: SimulateArgs = { broker: "mqtt://127.0.0.1:1883", clock: 1, seed: 1, speed: 1, events: {} };
  const num = (flag: string, v: string | undefined, lo: number, hi: number) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < lo || n > hi)
      throw new ArgsError(`${flag} expects a number in [${lo}, ${hi}], got ${v ?? "nothing"}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    const v = argv[i + 1];
    const take = () => {
      i++;
      if (v === undefined) throw new ArgsError(`${f} expects a value`);
      return v;
    };
    switch (f) {
      case "--broker":
        a.broker = take();
        break;
      case "--username":
        a.username = take();
        break;
      case "--password":
        a.password = take();
        break;
      case "--rate":
        a.rate = num(f, take(), 1, MAX_RATE);
        break;
      case "--clock":
        a.clock = num(f, take(), 0.01, 3600);
        break;
      case "--seed":
        a.seed = num(f, take(), 0, 2 ** 31);
        break;
      case "--duration":
        a.durationS = num(f, take(), 0.1, 1e7);
        break;
      case "--record":
        a.record = take();
        break;
      case "--replay":
        a.replay = take();
        break;
      case "--speed":
        a.speed = num(f, take(), 1, 120);
        break;
      case "--storm-at":
        a.events.stormAtS = num(f, take(), 0, 1e7);
        break;
      case "--gas-at":
        a.events.gasDropAtS = num(f, take(), 0, 1e7);
        break;
      case "--heating-at":
        a.events.heatingFaultAtS = num(f, take(), 0, 1e7);
        break;
      default:
        throw new ArgsError(`unknown option ${f}`);
    }
  }
  a.password ??= process.env.WARMCITY_MQTT_PASSWORD;
  return a;
}

async function main() {
  let args: SimulateArgs;
  try {
    args = parseSimulateArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ArgsError) {
      console.error(`simulate: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  let client: mqtt.MqttClient | undefined;
  let sink: Sink = () => {};
  if (args.broker !== "none") {
    client = await mqtt.connectAsync(args.broker, {
      username: args.username,
      password: args.password,
      clientId: `warmcity-sim-${process.pid}`,
      reconnectPeriod: 1000,
    });
    const c = client;
    sink = (msgs) => {
      for (const m of msgs) c.publish(m.topic, m.payload, { qos: 0, retain: m.retain });
    };
    console.log(`[simulate] connected to ${args.broker}`);
  }
  const ac = new AbortController();
  const stopAfter = args.durationS ? setTimeout(() => ac.abort(), args.durationS * 1000) : undefined;
  process.on("SIGINT", () => ac.abort());
  process.on("SIGTERM", () => ac.abort());
  if (args.replay) {
    const n = await replay(args.replay, args.speed, sink, ac.signal);
    console.log(`[simulate] replayed ${n} messages from ${args.replay} at ${args.speed}×`);
  } else {
    const run = runSimulation({ sink, seed: args.seed, clock: args.clock, rate: args.rate, record: args.record, events: args.events });
    const report = setInterval(() => console.log(`[simulate] ${run.sent} messages`), 5000);
    await new Promise<void>((r) => ac.signal.addEventListener("abort", () => r()));
    clearInterval(report);
    await run.stop();
    console.log(`[simulate] sent ${run.sent} messages${args.record ? `, recorded to ${args.record}` : ""}`);
  }
  if (stopAfter) clearTimeout(stopAfter);
  await client?.endAsync();
}

if (import.meta.url === `file://${process.argv[1]}`)
  void main().catch((e: Error) => {
    console.error(`simulate: ${e.message}`);
    process.exit(1);
  });

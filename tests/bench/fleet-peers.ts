/**
 * Child process of the fleet benchmark: N Moonraker stand-ins on loopback, each updating once a second,
 * kept out of the measured host process. Prints `PEERS=<json array of urls>` when listening.
 */
import { startMjpegPeer, type MjpegPeer } from '../peers/mjpeg-peer';
import { startMoonrakerPeer, type MoonrakerPeer } from '../peers/moonraker-peer';

const count = Number(process.argv[2] ?? 200);
/** Webcams (mjpg-streamer stand-ins at 10 fps, a common crowsnest rate) for the camera phase; none by default. */
const cameraCount = Number(process.argv[3] ?? 0);
const peers: MoonrakerPeer[] = [];
for (let i = 0; i < count; i++) {
  const peer = await startMoonrakerPeer();
  peer.printer.runGcode(`M104 S${190 + (i % 20)}\nM140 S60`);
  peers.push(peer);
}
// Start the once-a-second updates spread over the second, as independent printers would be.
peers.forEach((p, i) => setTimeout(() => p.printer.autoRun(1000), Math.floor((i * 1000) / count)));
const cameras: MjpegPeer[] = [];
for (let i = 0; i < cameraCount; i++) cameras.push(await startMjpegPeer({ fps: 10 }));
process.stdout.write(`CAMS=${JSON.stringify(cameras.map((c) => c.streamUrl))}\n`);
process.stdout.write(`PEERS=${JSON.stringify(peers.map((p) => p.url))}\n`);
const stop = async () => {
  await Promise.all([...peers, ...cameras].map((p) => p.close()));
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => undefined, 1 << 30);

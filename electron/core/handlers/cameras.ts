import type { CameraService } from '../cameras/camera-service';
import type { CAMERA_METHODS } from '../contract/names/cameras';
import type { HandlersFor } from '../rpc/dispatch';

export function createCameraHandlers(cameras: CameraService): HandlersFor<(typeof CAMERA_METHODS)[number]> {
  return {
    'cameras.list': async (input) => cameras.list(input?.printerId),
    'cameras.add': async (input) => cameras.add(input),
    'cameras.devices': async () => cameras.localDevices(),
    'cameras.remove': async ({ cameraId }) => {
      cameras.remove(cameraId);
      return { removed: true };
    },
  };
}

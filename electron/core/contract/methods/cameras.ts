import { z } from 'zod';
import type { CameraView, LocalVideoDevices } from '../camera-types';
import type { CredentialNotice } from '../lan-types';
import { printerId } from './common';
import { method } from './define';

const cameraUrl = z
  .string()
  .trim()
  .min(1, "Enter the camera's address, for example http://192.168.1.20/webcam/?action=stream.")
  .max(2000)
  .regex(/^https?:\/\/\S+$/i, 'The camera address starts with http:// or https:// and has no spaces.');

const name = z.string().trim().min(1).max(80);

export const cameraMethods = {
  'cameras.list': method<CameraView[]>()({
    input: z.object({ printerId: printerId.optional() }).strict().optional(),
    capability: 'fleet:read',
    summary: "The cameras of one printer (or of all): those added by hand, those the printer's Moonraker or OctoPrint announces, and a Bambu printer's own.",
  }),
  // Adding or removing a camera is managing a printer and may carry its password: admin, like printer credentials.
  'cameras.add': method<{ camera: CameraView; credential: CredentialNotice | null }>()({
    input: z.union([
      z
        .object({
          printerId,
          name,
          kind: z.enum(['mjpeg', 'snapshot']),
          url: cameraUrl,
          username: z.string().trim().min(1).max(128).optional(),
          password: z.string().min(1).max(512).optional(),
          storePlaintext: z.boolean().optional(),
        })
        .strict(),
      z
        .object({
          printerId,
          name,
          kind: z.literal('usb'),
          device: z.string().regex(/^\/dev\/video\d{1,3}$/, 'A USB webcam is a video device such as /dev/video0.'),
        })
        .strict(),
    ]),
    capability: 'fleet:manage',
    summary:
      'Adds a camera to a printer: an MJPEG stream or snapshot URL (a user name and password, in the URL or apart, go to the credential store), or a USB webcam on this computer.',
  }),
  'cameras.devices': method<LocalVideoDevices>()({
    input: z.object({}).strict().optional(),
    capability: 'fleet:manage',
    summary: 'The USB webcams (V4L2 devices) of the computer running the host, and whether it can read them.',
  }),
  'cameras.remove': method<{ removed: true }>()({
    input: z.object({ cameraId: z.string().min(1).max(120) }).strict(),
    capability: 'fleet:manage',
    summary: 'Removes a camera added by hand (and its password).',
  }),
};

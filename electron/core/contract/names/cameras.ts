export const CAMERA_METHODS = ['cameras.list', 'cameras.add', 'cameras.remove', 'cameras.devices'] as const;

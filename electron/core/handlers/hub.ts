import type { HUB_METHODS } from '../contract/names/hub';
import type { HubService } from '../hub/hub-service';
import type { HandlersFor } from '../rpc/dispatch';

export function createHubHandlers(hub: HubService): HandlersFor<(typeof HUB_METHODS)[number]> {
  return {
    'hub.status': async () => hub.status(),
    'hub.link': async (input) => hub.link(input?.name),
    'hub.unlink': async () => hub.unlink(),
    'hub.publish': async ({ printerId, published }) => hub.publish(printerId, published),
    'hub.cloudPrinters': () => hub.cloudPrinters(),
  };
}

import type { EventName, EventPayloads } from '../contract';

export type EventListener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void;

/** The core's outgoing events. Hosts subscribe once and forward everything to their sessions. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload);
      } catch {
        // A broken subscriber (a closed socket, say) must not stop the others from hearing the event.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

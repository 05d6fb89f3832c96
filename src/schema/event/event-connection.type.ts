/** `EventConnection` and `EventEdge`. */
import { Connection } from '../connection/connection.type';
import { Event } from './event.type';

/** A page of events. */
export const EventConnection = Connection(Event, 'Event', 'events');

/** `ActorConnection` and `ActorEdge`. */
import { Connection } from '../connection/connection.type';
import { Actor } from './actor.type';

/** A page of actors. */
export const ActorConnection = Connection(Actor, 'Actor', 'actors');

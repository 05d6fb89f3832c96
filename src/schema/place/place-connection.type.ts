/** `PlaceConnection` and `PlaceEdge`. */
import { Connection } from '../connection/connection.type';
import { Place } from './place.type';

/** A page of places. */
export const PlaceConnection = Connection(Place, 'Place', 'places');

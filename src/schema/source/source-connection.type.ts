/** `SourceConnection` and `SourceEdge`. */
import { Connection } from '../connection/connection.type';
import { Source } from './source.type';

/** A page of sources. */
export const SourceConnection = Connection(Source, 'Source', 'sources');

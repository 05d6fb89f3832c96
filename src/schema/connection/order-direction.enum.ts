/** The direction of an ordered list. */
import type { Direction } from '../../store/pagination';
import { describedEnum } from '../register-enum';

/** Ascending or descending. */
export const OrderDirection = describedEnum<Direction>('OrderDirection', 'The direction of an ordered list.', {
  ASC: 'Ascending: earliest or smallest first.',
  DESC: 'Descending: latest or largest first.',
});

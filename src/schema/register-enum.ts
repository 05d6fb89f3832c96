/** Registers a string-union enum with type-graphql, with a description for the enum and every value. */
import { registerEnumType } from 'type-graphql';

/** Builds the enum object type-graphql needs and registers it; `values` must describe every value. */
export function describedEnum<V extends string>(name: string, description: string, values: Record<V, string>): Record<V, V> {
  const enumObject = Object.fromEntries(Object.keys(values).map((v) => [v, v])) as Record<V, V>;
  registerEnumType(enumObject, {
    name,
    description,
    valuesConfig: Object.fromEntries(Object.entries(values).map(([v, d]) => [v, { description: d as string }])) as never,
  });
  return enumObject;
}

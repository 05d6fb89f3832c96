import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
} from 'graphql';
import { buildDatelineSchema } from '../build-schema';

/** Every type, field, argument, input field and enum value of the schema that lacks a description. */
function undescribed(types: GraphQLNamedType[]): string[] {
  const missing: string[] = [];
  const check = (where: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(where);
  };
  for (const type of types) {
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('schema descriptions', () => {
  const types = Object.values(buildDatelineSchema().getTypeMap()).filter(
    (t) => !isIntrospectionType(t) && !isSpecifiedScalarType(t),
  );

  it('covers the types the API promises', () => {
    expect(types.map((t) => t.name)).toEqual(
      expect.arrayContaining(['Query', 'Node', 'Event', 'Place', 'Actor', 'Source', 'EventConnection', 'PageInfo', 'TimelineDay', 'Date', 'DateTime']),
    );
  });

  it('describes every type, field, argument and enum value', () => {
    expect(undescribed(types)).toEqual([]);
  });

  it('finds a missing description', () => {
    const [query] = types.filter((t) => t.name === 'Query');
    expect(undescribed([{ ...query, description: '', getFields: () => ({}) } as never])).toEqual(['Query']);
  });
});

/** A validation rule that refuses introspection with a message naming the setting that turned it off. */
import { GraphQLError, type ValidationRule } from 'graphql';

/** Rejects `__schema` and `__type` (while `__typename` stays allowed, as clients need it). */
export const introspectionOffRule: ValidationRule = (context) => ({
  Field(node) {
    const name = node.name.value;
    if (name !== '__schema' && name !== '__type') return;
    context.reportError(
      new GraphQLError(
        `Introspection is turned off on this server (INTROSPECTION=false), so "${name}" cannot be queried. ` +
          'Ask its operator for the schema, or query the fields you know directly.',
        { nodes: node },
      ),
    );
  },
});

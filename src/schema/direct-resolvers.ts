/**
 * Direct resolvers: the same resolver methods, called without type-graphql's per-call machinery.
 *
 * type-graphql wraps every resolver in a generic function that, on every call, sorts the
 * parameter list, copies `@Args()` objects and input objects into new class instances, and wraps
 * each argument in an `async` validation step (so any field with arguments answers with a
 * promise, even with `validate: false`); and it wraps every plain `@Field` in a function that
 * reads the property. Over a timeline of events with their places, actors and sources that is
 * most of the execution time.
 *
 * After the schema is built, {@link useDirectResolvers} reads type-graphql's own metadata and,
 * for each query and field resolver it can map exactly, replaces the generated `resolve` with a
 * direct call of the same method on one instance of its class, with parameters mapped as
 * type-graphql maps them: `@Root()` gets the parent value, `@Ctx()` the context, `@Args()` the
 * arguments object, `@Arg(name)` that argument, `@Info()` the info. Plain `@Field` properties get
 * no resolver at all, which graphql-js and graphql-jit read as the property itself. The
 * arguments are the values graphql-js has already coerced and completed with defaults; they are
 * only handed over as plain objects where type-graphql's class instances would add nothing: the
 * argument and input classes have no methods, accessors or initial values, and no field is
 * renamed.
 *
 * Anything it cannot map keeps type-graphql's resolver, so behaviour never changes: global or
 * field middlewares, `@Authorized`, validation, a custom container, custom parameter decorators,
 * `@Root()` typed with a class (type-graphql would copy the parent into an instance), resolver
 * classes that inherit resolvers or need constructor arguments, and argument types that are
 * anything but scalars, enums and such plain input classes.
 */
import { GraphQLScalarType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage, type BuildSchemaOptions } from 'type-graphql';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type ParamMetadata = MetadataStorage['params'][number];
type HandlerMetadata = MetadataStorage['queries'][number] | MetadataStorage['fieldResolvers'][number];
type AnyResolver = GraphQLFieldResolver<unknown, unknown, Record<string, unknown>>;
/** Computes one parameter of a resolver method from graphql-js's resolver arguments. */
type ParamGetter = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;

/** What {@link useDirectResolvers} did to each field, as `Type.field`. */
export interface DirectResolverReport {
  /** Fields whose resolver method is now called directly. */
  direct: string[];
  /** Plain fields now read as properties, with no resolver. */
  plain: string[];
  /** Fields that keep type-graphql's resolver, and why. */
  kept: { field: string; reason: string }[];
}

/** An argument after type-graphql's validation step when validation is off: the same value, a few microtasks later. */
async function settled(value: unknown): Promise<unknown> {
  return value;
}

/** Why a resolver cannot be mapped; caught and reported, never seen by clients. */
class CannotMap extends Error {}

/** Whether the class or anything it inherits from carries prototype members other than the constructor. */
function hasMembers(cls: Function): boolean {
  for (let proto = cls.prototype as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.getOwnPropertyNames(proto).some((name) => name !== 'constructor') || Object.getOwnPropertySymbols(proto).length > 0) return true;
  }
  return false;
}

/** The class and the classes it extends, nearest first. */
function classChain(cls: Function): Function[] {
  const chain: Function[] = [];
  for (let c: unknown = cls; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c as Function);
  return chain;
}

/** Maps type-graphql's metadata onto the built schema; one per {@link useDirectResolvers} call. */
class DirectResolverMapper {
  private readonly instances = new Map<Function, object>();
  private readonly checkedClasses = new Set<Function>();

  constructor(
    private readonly storage: MetadataStorage,
    private readonly resolverClasses: readonly Function[],
    private readonly synchronousArguments: boolean,
  ) {}

  /** Throws unless `value` (an argument's declared type) reaches the resolver the same as a plain value. */
  private checkArgumentType(value: unknown, where: string): void {
    if (value instanceof GraphQLScalarType || value === String || value === Number || value === Boolean || value === Date) return;
    if (this.storage.enums.some((e) => e.enumObj === value)) return;
    if (typeof value === 'function' && this.storage.inputTypes.some((t) => t.target === value)) return this.checkPlainClass(value, where);
    throw new CannotMap(`${where} has a type type-graphql converts (${typeof value === 'function' ? value.name : String(value)})`);
  }

  /** Throws unless instances of the args or input class `cls` are indistinguishable from plain objects with the same fields. */
  private checkPlainClass(cls: Function, where: string): void {
    if (this.checkedClasses.has(cls)) return;
    this.checkedClasses.add(cls);
    if (hasMembers(cls)) throw new CannotMap(`${where}: ${cls.name} has methods or accessors`);
    let probe: Record<string, unknown>;
    try {
      probe = new (cls as new () => Record<string, unknown>)();
    } catch {
      throw new CannotMap(`${where}: ${cls.name} cannot be constructed without arguments`);
    }
    const initialised = Object.keys(probe).find((key) => probe[key] !== undefined);
    if (initialised) throw new CannotMap(`${where}: ${cls.name}.${initialised} has an initial value`);
    for (const c of classChain(cls)) {
      for (const field of this.storage.fields.filter((f) => f.target === c)) {
        if (field.name !== field.schemaName) throw new CannotMap(`${where}: ${cls.name}.${field.name} is renamed to ${field.schemaName}`);
        this.checkArgumentType(field.getType(), `${where}: ${cls.name}.${field.name}`);
      }
    }
  }

  /** Throws when middlewares or authorization apply to `name` of `target`. */
  private checkNoMiddleware(target: Function, name: string): void {
    const s = this.storage;
    if (s.middlewares.some((m) => m.target === target && m.fieldName === name) || s.resolverMiddlewares.some((m) => m.target === target)) {
      throw new CannotMap('middlewares apply');
    }
    if (s.authorizedFields.some((a) => a.target === target && a.fieldName === name) || s.authorizedResolver.some((a) => a.target === target)) {
      throw new CannotMap('@Authorized applies');
    }
  }

  /** How type-graphql would compute one parameter, or a throw when it would do more than pass a value on. */
  private paramGetter(param: ParamMetadata, params: ParamMetadata[], where: string): ParamGetter {
    switch (param.kind) {
      case 'root': {
        const type: unknown = param.getType?.();
        if (type !== undefined && type !== Object) throw new CannotMap(`@Root() is typed with a class (${(type as Function).name ?? String(type)})`);
        const property = param.propertyName;
        return property === undefined ? (root) => root : (root) => (root as Record<string, unknown>)[property];
      }
      case 'context': {
        const property = param.propertyName;
        return property === undefined ? (_root, _args, context) => context : (_root, _args, context) => (context as Record<string, unknown>)[property];
      }
      case 'info':
        return (_root, _args, _context, info) => info;
      case 'arg': {
        if (param.validateFn !== undefined || (param.validateSettings !== undefined && param.validateSettings !== false)) throw new CannotMap(`@Arg('${param.name}') is validated`);
        this.checkArgumentType(param.getType(), `@Arg('${param.name}')`);
        const name = param.name;
        return (_root, args) => args[name];
      }
      case 'args': {
        if (param.validateFn !== undefined || (param.validateSettings !== undefined && param.validateSettings !== false)) throw new CannotMap('@Args() is validated');
        // type-graphql's args object holds only the args class's fields; graphql-js's holds every argument.
        if (params.some((p) => p !== param && (p.kind === 'arg' || p.kind === 'args'))) throw new CannotMap('@Args() is combined with other arguments');
        const cls = param.getType() as Function;
        if (!this.storage.argumentTypes.some((t) => t.target === cls)) throw new CannotMap(`@Args() type ${cls.name} is not an @ArgsType`);
        this.checkPlainClass(cls, `${where} @Args()`);
        return (_root, args) => args;
      }
      default:
        throw new CannotMap(`a ${param.kind} parameter`);
    }
  }

  /** The direct resolver for a query, mutation or field resolver method; throws {@link CannotMap} when there is none. */
  directResolver(handler: HandlerMetadata, where: string): AnyResolver {
    const cls = handler.target;
    if (!this.resolverClasses.includes(cls)) throw new CannotMap('its class is not among the schema\'s resolvers');
    if (Object.getPrototypeOf(cls) !== Function.prototype) throw new CannotMap(`${cls.name} extends another class`);
    if (cls.length > 0) throw new CannotMap(`${cls.name} takes constructor arguments`);
    this.checkNoMiddleware(cls, handler.methodName);
    const params = this.storage.params.filter((p) => p.target === cls && p.methodName === handler.methodName).sort((a, b) => a.index - b.index);
    const getters = params.map((p) => this.paramGetter(p, params, where));
    let instance = this.instances.get(cls);
    if (!instance) {
      instance = new (cls as new () => object)();
      this.instances.set(cls, instance);
    }
    const self = instance;
    const method = (self as Record<string, unknown>)[handler.methodName];
    if (typeof method !== 'function') throw new CannotMap(`${cls.name}.${handler.methodName} is not a method`);
    if (!this.synchronousArguments && params.some((p) => p.kind === 'arg' || p.kind === 'args')) {
      // type-graphql passes each argument through an async validation step, so a method with
      // arguments runs a few microtasks later and its field answers with a promise. That timing
      // decides which errors graphql-js still reports when several root fields fail, so it is
      // kept, step for step: a settled promise per argument, Promise.all, then the call.
      const isArgument = params.map((p) => p.kind === 'arg' || p.kind === 'args');
      return (root, args, context, info) =>
        Promise.all(getters.map((g, i) => (isArgument[i] ? settled(g(root, args, context, info)) : g(root, args, context, info)))).then((values) => method.apply(self, values));
    }
    // Spelled out for the usual lengths: this runs once per field per object in every answer.
    switch (getters.length) {
      case 0:
        return () => method.call(self);
      case 1: {
        const [a] = getters;
        return (root, args, context, info) => method.call(self, a(root, args, context, info));
      }
      case 2: {
        const [a, b] = getters;
        return (root, args, context, info) => method.call(self, a(root, args, context, info), b(root, args, context, info));
      }
      case 3: {
        const [a, b, c] = getters;
        return (root, args, context, info) => method.call(self, a(root, args, context, info), b(root, args, context, info), c(root, args, context, info));
      }
      default:
        return (root, args, context, info) => method.apply(self, getters.map((g) => g(root, args, context, info)));
    }
  }

  /** Throws unless the plain field `name` of the object class `cls` may be read as a property. */
  checkPlainField(cls: Function, interfaces: readonly Function[], name: string): void {
    const s = this.storage;
    const owners = [cls, ...interfaces];
    const field = s.fields.find((f) => owners.includes(f.target) && f.schemaName === name);
    if (!field) throw new CannotMap('no @Field metadata found');
    if (field.name !== field.schemaName) throw new CannotMap(`the property ${field.name} is renamed`);
    if (s.fieldResolvers.some((r) => r.kind === 'internal' && owners.includes(r.target) && r.schemaName === name)) throw new CannotMap('a getter or method resolves it');
    for (const owner of owners) this.checkNoMiddleware(owner, field.name);
  }
}

/**
 * Replaces the resolvers type-graphql generated in `schema` (built just now with `options`) by
 * direct calls where that gives the same answers; returns what it did to each field.
 * With `synchronousArguments`, methods with arguments are called at once too, without
 * type-graphql's async step: the data is the same, but when several fields fail, which errors
 * graphql-js reports can differ, so only an executor that keeps error-free answers alone (the
 * fast path) may use it.
 */
export function useDirectResolvers(schema: GraphQLSchema, options: BuildSchemaOptions, synchronousArguments = false): DirectResolverReport {
  const report: DirectResolverReport = { direct: [], plain: [], kept: [] };
  const storage = getMetadataStorage();
  const globalReason =
    options.globalMiddlewares?.length ? 'global middlewares apply'
    : options.authChecker ? 'an auth checker applies'
    : options.container ? 'resolvers come from a custom container'
    : options.validate !== false || options.validateFn ? 'arguments are validated'
    : null;
  const mapper = new DirectResolverMapper(storage, options.resolvers as readonly Function[], synchronousArguments);
  const attempt = (where: string, replace: () => void, plain = false) => {
    try {
      if (globalReason) throw new CannotMap(globalReason);
      replace();
      (plain ? report.plain : report.direct).push(where);
    } catch (err) {
      if (!(err instanceof CannotMap)) throw err;
      report.kept.push({ field: where, reason: err.message });
    }
  };

  for (const [root, handlers] of [[schema.getQueryType(), storage.queries], [schema.getMutationType(), storage.mutations]] as const) {
    if (!root) continue;
    const fields = root.getFields();
    for (const handler of handlers) {
      const field = fields[handler.schemaName];
      if (!field || !(options.resolvers as readonly Function[]).includes(handler.target)) continue;
      const where = `${root.name}.${field.name}`;
      attempt(where, () => {
        field.resolve = mapper.directResolver(handler, where);
      });
    }
  }

  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type) || storage.objectTypes.filter((o) => o.name === objectType.name).length !== 1) continue;
    const interfaces = objectType.interfaceClasses ?? [];
    const resolvedHere = storage.fieldResolvers.filter(
      (r) => r.kind === 'external' && (options.resolvers as readonly Function[]).includes(r.target) && storage.resolverClasses.find((c) => c.target === r.target)?.getObjectType() === objectType.target,
    );
    for (const field of Object.values(type.getFields())) {
      const where = `${type.name}.${field.name}`;
      const handler = resolvedHere.find((r) => r.schemaName === field.name);
      if (handler) {
        attempt(where, () => {
          field.resolve = mapper.directResolver(handler, where);
        });
      } else if (field.resolve !== undefined) {
        attempt(
          where,
          () => {
            mapper.checkPlainField(objectType.target, interfaces, field.name);
            field.resolve = undefined;
          },
          true,
        );
      }
    }
  }
  return report;
}

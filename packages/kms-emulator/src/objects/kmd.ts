import { readFileSync } from 'node:fs';

/** A parameter of a method or constructor in a .kmd.json. */
export interface KmdParam {
  name: string;
  type: string;
  optional?: boolean;
}

/** A method of a remote class. */
export interface KmdMethod {
  name: string;
  params: KmdParam[];
  return?: { type: string };
}

/** A property of a remote class; `get<Name>` always exists, `set<Name>` unless final or read-only. */
export interface KmdProperty {
  name: string;
  type: string;
  readOnly?: boolean;
  final?: boolean;
}

interface KmdRemoteClass {
  name: string;
  extends?: string;
  abstract?: boolean;
  methods?: KmdMethod[];
  properties?: KmdProperty[];
  events?: string[];
}

/** A complex type: an ENUM travels as a string, a REGISTER as an object with `__module__`/`__type__`. */
export interface KmdComplexType {
  name: string;
  typeFormat: 'ENUM' | 'REGISTER';
  values?: string[];
  properties?: KmdParam[];
  extends?: string;
}

interface KmdEvent {
  name: string;
  extends?: string;
}

interface KmdModule {
  name: string;
  version: string;
  remoteClasses: KmdRemoteClass[];
  complexTypes: KmdComplexType[];
  events: KmdEvent[];
}

/** What `invoke` resolves an operation name to, following the generated invoker (nearest class first). */
export type Operation =
  | { kind: 'method'; owner: string; name: string; method: KmdMethod }
  | { kind: 'get'; owner: string; name: string; property: KmdProperty }
  | { kind: 'set'; owner: string; name: string; property: KmdProperty };

/** A remote class with everything it inherits resolved. */
export interface MediaClass {
  readonly name: string;
  readonly qualifiedType: string;
  readonly moduleName: string;
  readonly abstract: boolean;
  /** Qualified names of the ancestors, nearest first (describe's `hierarchy`). */
  readonly hierarchy: string[];
  readonly constructorParams: KmdParam[];
  readonly operations: ReadonlyMap<string, Operation>;
  readonly events: ReadonlySet<string>;
  /** True if this class is `name` or inherits from it. */
  isA(name: string): boolean;
}

/** One loaded module: its name, version, factories and descriptor text (getKmd returns it verbatim). */
export interface ModuleDescriptor {
  name: string;
  version: string;
  factories: string[];
  kmd: string;
}

/** All classes and complex types of the modules KMS 7.3 ships: core, elements, filters. */
export interface TypeRegistry {
  readonly modules: readonly ModuleDescriptor[];
  readonly classes: ReadonlyMap<string, MediaClass>;
  readonly complexTypes: ReadonlyMap<string, KmdComplexType>;
  /** A class that can be created by name, if any (create's factory lookup). */
  factory(name: string): MediaClass | undefined;
  /** True for events deriving from `Media`, whose data carries the event `type`. */
  isMediaEvent(name: string): boolean;
}

// Every class of these modules lives in the `kurento` namespace, whatever its module's name.
const NAMESPACE = 'kurento';
const MODULE_FILES = ['core', 'elements', 'filters'] as const;

/** The constructor params, or undefined for a class without a factory. `constructor` is read as an own key only:
 * every parsed object inherits Object's. */
function constructorOf(raw: KmdRemoteClass): KmdParam[] | undefined {
  if (!Object.hasOwn(raw, 'constructor')) return undefined;
  return (raw as unknown as { constructor: { params?: KmdParam[] } }).constructor.params ?? [];
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function buildClass(
  raw: KmdRemoteClass,
  moduleName: string,
  rawByName: ReadonlyMap<string, { raw: KmdRemoteClass; moduleName: string }>,
  built: Map<string, MediaClass>,
): MediaClass {
  const existing = built.get(raw.name);
  if (existing) return existing;
  const parentRaw = raw.extends === undefined ? undefined : rawByName.get(raw.extends);
  if (raw.extends !== undefined && parentRaw === undefined) {
    throw new Error(`kmd: ${raw.name} extends unknown class ${raw.extends}`);
  }
  const parent = parentRaw && buildClass(parentRaw.raw, parentRaw.moduleName, rawByName, built);

  // Derived declarations shadow inherited ones: the generated invoker tries its own methods, then its own
  // properties, then delegates to the parent class.
  const operations = new Map<string, Operation>(parent?.operations ?? []);
  for (const property of raw.properties ?? []) {
    const getter = `get${capitalise(property.name)}`;
    operations.set(getter, { kind: 'get', owner: raw.name, name: getter, property });
    if (!property.final && !property.readOnly) {
      const setter = `set${capitalise(property.name)}`;
      operations.set(setter, { kind: 'set', owner: raw.name, name: setter, property });
    }
  }
  for (const method of raw.methods ?? []) {
    operations.set(method.name, { kind: 'method', owner: raw.name, name: method.name, method });
  }

  const ancestors = new Set<string>([raw.name, ...(parent ? ancestorNames(parent) : [])]);
  const mediaClass: MediaClass = {
    name: raw.name,
    qualifiedType: `${NAMESPACE}.${raw.name}`,
    moduleName,
    abstract: raw.abstract === true,
    hierarchy: parent ? [parent.qualifiedType, ...parent.hierarchy] : [],
    constructorParams: constructorOf(raw) ?? [],
    operations,
    events: new Set([...(parent?.events ?? []), ...(raw.events ?? [])]),
    isA: (name) => ancestors.has(name),
  };
  built.set(raw.name, mediaClass);
  return mediaClass;
}

function ancestorNames(mediaClass: MediaClass): string[] {
  return [mediaClass.name, ...mediaClass.hierarchy.map((q) => q.slice(NAMESPACE.length + 1))];
}

/** Builds the registry from .kmd.json texts (the module name is read from each text). */
export function buildRegistry(kmdTexts: readonly string[]): TypeRegistry {
  const parsed = kmdTexts.map((text) => ({ text, module: JSON.parse(text) as KmdModule }));
  const rawByName = new Map<string, { raw: KmdRemoteClass; moduleName: string }>();
  const complexTypes = new Map<string, KmdComplexType>();
  const eventParents = new Map<string, string | undefined>();
  for (const { module } of parsed) {
    for (const raw of module.remoteClasses) rawByName.set(raw.name, { raw, moduleName: module.name });
    for (const type of module.complexTypes) complexTypes.set(type.name, type);
    for (const event of module.events) eventParents.set(event.name, event.extends);
  }
  const isMediaEvent = (name: string): boolean => {
    for (let e = eventParents.get(name); e !== undefined; e = eventParents.get(e))
      if (e === 'Media') return true;
    return false;
  };
  const classes = new Map<string, MediaClass>();
  for (const { raw, moduleName } of rawByName.values()) buildClass(raw, moduleName, rawByName, classes);

  const modules = parsed.map(({ text, module }) => ({
    name: module.name,
    version: module.version,
    factories: module.remoteClasses
      .filter((c) => !c.abstract && constructorOf(c) !== undefined)
      .map((c) => c.name)
      .sort(),
    kmd: text,
  }));
  // ModuleManager registers every factory twice: by its name and prefixed by its module's namespace, which is
  // `kurento` for core, elements and filters (`kurento.WebRtcEndpoint`); getInfo lists only the plain names.
  const factories = new Set(modules.flatMap((m) => m.factories.flatMap((f) => [f, `${NAMESPACE}.${f}`])));

  return {
    modules,
    classes,
    complexTypes,
    factory: (name) =>
      factories.has(name)
        ? classes.get(name.startsWith(`${NAMESPACE}.`) ? name.slice(NAMESPACE.length + 1) : name)
        : undefined,
    isMediaEvent,
  };
}

let defaultRegistry: TypeRegistry | undefined;

/** The registry of the three modules bundled with the package (kmd/*.kmd.json), loaded once per process. */
export function kurentoRegistry(): TypeRegistry {
  if (!defaultRegistry) {
    defaultRegistry = buildRegistry(
      MODULE_FILES.map((name) =>
        readFileSync(new URL(`../../kmd/${name}.kmd.json`, import.meta.url), 'utf8'),
      ),
    );
  }
  return defaultRegistry;
}

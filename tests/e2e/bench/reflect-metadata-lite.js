// A minimal stand-in for the `reflect-metadata` polyfill, which the @peculiar/x509 IIFE bundle
// (through tsyringe) requires to exist before it loads. The bundle only calls
// Reflect.getMetadata / Reflect.getOwnMetadata; this implements the usual metadata API on a WeakMap.
(() => {
  if (typeof Reflect.getMetadata === 'function') return;
  const store = new WeakMap(); // target -> Map(propertyKey -> Map(key -> value))
  const table = (target, prop, create) => {
    let byProp = store.get(target);
    if (!byProp) {
      if (!create) return undefined;
      store.set(target, (byProp = new Map()));
    }
    let byKey = byProp.get(prop);
    if (!byKey && create) byProp.set(prop, (byKey = new Map()));
    return byKey;
  };
  const getOwnMetadata = (key, target, prop) => table(target, prop, false)?.get(key);
  const hasOwnMetadata = (key, target, prop) => table(target, prop, false)?.has(key) ?? false;
  const hasMetadata = (key, target, prop) => {
    for (let t = target; t; t = Object.getPrototypeOf(t)) if (hasOwnMetadata(key, t, prop)) return true;
    return false;
  };
  const getMetadata = (key, target, prop) => {
    for (let t = target; t; t = Object.getPrototypeOf(t)) if (hasOwnMetadata(key, t, prop)) return getOwnMetadata(key, t, prop);
    return undefined;
  };
  const defineMetadata = (key, value, target, prop) => { table(target, prop, true).set(key, value); };
  const metadata = (key, value) => (target, prop) => defineMetadata(key, value, target, prop);
  Object.assign(Reflect, { getOwnMetadata, hasOwnMetadata, hasMetadata, getMetadata, defineMetadata, metadata });
})();

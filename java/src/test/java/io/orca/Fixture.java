package io.orca;

/** An engine, a store and one instance of a module without imports, closed together. */
final class Fixture implements AutoCloseable {
    final Engine engine;
    final Store store;
    final Module module;
    final Instance instance;

    private Fixture(Engine.Config config, String wat) {
        engine = new Engine(config.cache(false));
        store = new Store(engine);
        module = Module.fromWat(engine, wat);
        instance = Instance.create(store, module);
    }

    static Fixture of(String wat) {
        return new Fixture(new Engine.Config(), wat);
    }

    static Fixture of(Engine.Config config, String wat) {
        return new Fixture(config, wat);
    }

    Func func(String name) {
        return instance.func(name);
    }

    @Override
    public void close() {
        instance.close();
        module.close();
        store.close();
        engine.close();
    }
}

package io.orca;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Makes Thread.interrupt() stop a guest: wasm code cannot look at Java's interrupt flag, so one
 * daemon thread looks, every few milliseconds, at each store of an interruptible engine that is
 * running guest code, and interrupts the store whose running thread was interrupted. Stores are
 * held weakly, so watching never keeps one alive.
 */
final class InterruptWatch {
    static final long PERIOD_MILLIS = 10;

    private static final Set<Store> STORES = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
    private static Thread watcher;

    private InterruptWatch() {
    }

    static synchronized void watch(Store store) {
        STORES.add(store);
        if (watcher == null) {
            watcher = new Thread(InterruptWatch::loop, "orca-interrupt-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    private static void loop() {
        while (true) {
            scan();
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /* A method of its own, so that no store stays referenced from the loop while it sleeps. */
    private static void scan() {
        Store[] stores;
        synchronized (STORES) {
            stores = STORES.toArray(new Store[0]);
        }
        for (Store store : stores) {
            store.interruptIfRunnerInterrupted();
        }
    }
}

package rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 9: a cell whose code ignores interrupts is given back after the grace period with
 * a notice in its output that the code still runs; a further interrupt stops the abandoned thread
 * (where the JDK still can) and says so.
 */
class KernelInterruptsTest {

    @Test
    void abandonedCodeIsAnnouncedAndASecondInterruptStopsIt() throws Exception {
        KernelInterrupts.TrackingExecutor executor = new KernelInterrupts.TrackingExecutor(Executors.defaultThreadFactory());
        List<String> notices = new CopyOnWriteArrayList<>();
        AtomicReference<Future<Object>> snippet = new AtomicReference<>();
        // giving the cell back = rapaio cancelling the running snippet's future
        KernelInterrupts ki = new KernelInterrupts(() -> snippet.get().cancel(true), executor, notices::add, 100, 400);
        AtomicReference<Thread> worker = new AtomicReference<>();
        Thread cell = new Thread(() -> {
            try {
                ki.wrapExecute(message -> {
                    snippet.set(executor.submit(() -> {
                        worker.set(Thread.currentThread());
                        long spins = 0;
                        while (spins >= 0) { // ignores Thread.interrupt and rnnlab's stop flag
                            spins++;
                        }
                        return spins;
                    }));
                    try {
                        snippet.get().get();
                    } catch (CancellationException | java.util.concurrent.ExecutionException | InterruptedException e) {
                        // the cell ends
                    }
                }).handle(null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        cell.start();
        while (worker.get() == null) {
            Thread.sleep(10);
        }
        ki.interrupt();
        cell.join(5000);
        assertFalse(cell.isAlive(), "the cell was given back after the grace period");
        assertTrue(worker.get().isAlive(), "the code itself ignored the interrupt");
        String notice = String.join("\n", notices);
        assertTrue(notice.contains("still running in the background; Kernel → Restart to stop it"), notice);

        ki.interrupt(); // the second ■, with no cell running
        // the pool thread itself lives on (its FutureTask catches the ThreadDeath): it stops running the code
        for (int i = 0; i < 500 && executor.running.contains(worker.get()); i++) {
            Thread.sleep(10);
        }
        String after = String.join("\n", notices);
        if (Runtime.version().feature() < 20) {
            assertFalse(executor.running.contains(worker.get()), "the abandoned code was stopped: " + after);
            assertTrue(after.contains("stopped the abandoned thread"), after);
        } else {
            assertTrue(after.contains("cannot be stopped"), after);
        }
        executor.shutdownNow();
    }
}

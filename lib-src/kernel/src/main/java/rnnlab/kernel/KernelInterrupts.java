package rnnlab.kernel;

import rnnlab.lab.Interrupt;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.java.JavaEngine;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControlProvider;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;

/**
 * Jupyter's interrupt (the ■ button, "Kernel → Interrupt") for the rapaio kernel, done so that the
 * interrupted cell ends properly and the kernel stays usable — what IPython users expect.
 *
 * <p><b>What rapaio-jupyter-kernel 3.0.1 does wrong.</b> Its control loop serves an
 * {@code interrupt_request} through the same {@code Channels} state as the shell loop: it sets the
 * one shared "current message" to the interrupt request and then runs the one shared stack of
 * deferred actions. The cell that is running loses its parent message and its deferred actions (its
 * idle status, its stream restore), so its {@code execute_reply} and its remaining output are sent
 * with the wrong parent header (or none) and Jupyter shows the cell as running forever; the output of
 * the next cells is lost too. Its interrupt also shuts down the snippet executor and stops JShell.
 * Measured through jupyter_client on the bare upstream kernel: after an interrupt the cell never
 * replied, and the next cell's {@code println} never reached the notebook.
 *
 * <p><b>What this class does instead.</b> {@link KernelLauncher}'s control loop ({@link ServingLoop})
 * hands every message to {@link #intercept} first: an {@code interrupt_request} is answered on the
 * control socket (parent = the request) without touching the shared state, and then
 * <ol>
 *   <li>a stop is requested through {@link rnnlab.lab.Interrupt}: rnnlab's training loops stop
 *       at their next safe point — {@code rnnlab.train.Trainer} at the next batch boundary, returning
 *       the History of the completed epochs (also kept in {@code model.history()}),
 *       {@code CharRnnTrainer} after the current name;</li>
 *   <li>the rest of the cell is skipped: its later snippets are not run and the cell ends with
 *       rapaio's "InterruptedException" error, as IPython ends an interrupted cell with
 *       {@code KeyboardInterrupt};</li>
 *   <li>code that does not check that flag and is still running {@link #THREAD_INTERRUPT_MILLIS}
 *       later has its thread interrupted ({@link Thread#interrupt()}: {@code Thread.sleep}, blocking
 *       I/O and well-behaved loops stop). The thread is not interrupted at once because the kernel
 *       writes a cell's output from the thread that prints it, and that fails while the thread is
 *       interrupted;</li>
 *   <li>if the code ignores both (a long native call, a loop that never checks), a second interrupt
 *       — or {@link #GRACE_MILLIS} after the first — gives the cell back at once: rapaio's own
 *       cancellation ends the cell with the interrupted error while the abandoned thread goes on in
 *       the background. The cell's output says so ({@value #STILL_RUNNING});</li>
 *   <li>one more interrupt after that (no cell running) stops the abandoned thread with
 *       {@link Thread#stop()} where the JDK still has it (up to JDK 19; see {@link #stopAbandoned}
 *       for why this is a last resort and why JDK 20+ cannot do it at all).</li>
 * </ol>
 * The snippet executor is rapaio's cached thread pool with the same thread names, plus the
 * bookkeeping of which threads are running a snippet ({@link TrackingExecutor}).
 */
public final class KernelInterrupts {

    private static final Logger LOGGER = Logger.getLogger(KernelInterrupts.class.getSimpleName());

    /** How long code may take to stop by itself before its thread is interrupted. */
    public static final long THREAD_INTERRUPT_MILLIS = 3_000;

    /** How long an interrupted snippet may take to stop by itself before the cell is given back anyway. */
    public static final long GRACE_MILLIS = 15_000;

    /** What the cell's output says when the kernel gives a cell back whose code is still running. */
    static final String STILL_RUNNING = "The interrupted code ignores interrupts and is still running in the background;"
            + " Kernel → Restart to stop it.";

    /** rapaio's own interrupt of the running snippets (cancels their futures: the cell ends now). */
    private final Runnable giveBack;
    private final TrackingExecutor executor;
    /** Writes a notice to the running cell's output (the kernel's System.err is the cell's then). */
    private final java.util.function.Consumer<String> notice;
    private final long threadInterruptMillis;
    private final long graceMillis;
    /** Threads still running the code of a cell that was given back. */
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rnnlab-interrupt-timer");
        t.setDaemon(true);
        return t;
    });
    /** Execute requests seen; an interrupt applies to the one running when it arrives. */
    private final AtomicLong cell = new AtomicLong();
    private volatile boolean cellRunning;
    /** The cell whose remaining snippets are to be skipped, or -1. */
    private volatile long interruptedCell = -1;

    KernelInterrupts(RapaioExecutionControl control, TrackingExecutor executor) {
        this(control::interrupt, executor, text -> {
            System.err.println(text);
            System.err.flush();
        }, THREAD_INTERRUPT_MILLIS, GRACE_MILLIS);
    }

    /** With the give-back action, the notice output and the two delays explicit (for tests). */
    KernelInterrupts(Runnable giveBack, TrackingExecutor executor, java.util.function.Consumer<String> notice,
                     long threadInterruptMillis, long graceMillis) {
        this.giveBack = giveBack;
        this.executor = executor;
        this.notice = notice;
        this.threadInterruptMillis = threadInterruptMillis;
        this.graceMillis = graceMillis;
        executor.owner = this;
    }

    /**
     * Puts a {@link TrackingExecutor} in place of the kernel's snippet executor (same thread factory)
     * and returns the interrupt handling for that kernel.
     */
    public static KernelInterrupts install(RapaioKernel kernel) throws ReflectiveOperationException {
        JavaEngine engine = kernel.javaEngine();
        String executionId = (String) Upstream.field(JavaEngine.class, "executionId").get(engine);
        RapaioExecutionControlProvider provider = (RapaioExecutionControlProvider) Upstream.field(JavaEngine.class, "controlProvider")
                .get(engine);
        RapaioExecutionControl control = provider.getRegisteredControl(executionId);
        if (control == null) {
            throw new IllegalStateException("the rapaio kernel has no execution control registered under " + executionId);
        }
        Field f = Upstream.field(RapaioExecutionControl.class, "executor");
        Object old = f.get(control);
        ThreadFactory factory = old instanceof ThreadPoolExecutor tpe ? tpe.getThreadFactory() : Executors.defaultThreadFactory();
        TrackingExecutor fresh = new TrackingExecutor(factory);
        f.set(control, fresh);
        if (old instanceof java.util.concurrent.ExecutorService es) {
            es.shutdown(); // its idle threads end; nothing is running before the first cell
        }
        return new KernelInterrupts(control, fresh);
    }

    /** Wraps the execute-request handler so that an interrupt knows which cell it belongs to. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    MessageHandler wrapExecute(MessageHandler execute) {
        return message -> {
            long id = cell.incrementAndGet();
            rnnlab.lab.Interrupt.clear();
            cellRunning = true;
            try {
                execute.handle(message);
            } finally {
                cellRunning = false;
                if (interruptedCell == id) {
                    interruptedCell = -1;
                }
            }
        };
    }

    /** Takes an {@code interrupt_request}: replies on {@code control} (parent = the request) and interrupts. */
    boolean intercept(AbstractChannel control, Message<?> message) {
        if (!answerInterrupt(control, message, "(rnnlab)")) {
            return false;
        }
        interrupt();
        return true;
    }

    /**
     * If {@code message} is an {@code interrupt_request}, logs it with {@code note} and sends the
     * {@code interrupt_reply} on {@code control} (parent = the request); says whether it was one.
     */
    static boolean answerInterrupt(AbstractChannel control, Message<?> message, String note) {
        MessageType<?> type = message.header().type();
        if (!MessageType.CONTROL_INTERRUPT_REQUEST.name().equals(type.name())) {
            return false;
        }
        LOGGER.info("[ControlChannel]: Handling message: " + type.name() + " " + note);
        control.sendMessage(new Message<>(message.getId(), MessageType.CONTROL_INTERRUPT_REPLY, new ControlInterruptReply()));
        return true;
    }

    /**
     * Interrupts the running cell (see the class comment); does nothing when no cell is running.
     * A second call for the same cell gives the cell back at once.
     */
    public void interrupt() {
        abandoned.removeIf(t -> !t.isAlive());
        if (!cellRunning) {
            if (!abandoned.isEmpty()) {
                stopAbandoned();
            }
            return;
        }
        long current = cell.get();
        if (interruptedCell == current) {
            LOGGER.info("second interrupt: ending the cell now");
            giveBack();
            return;
        }
        interruptedCell = current;
        rnnlab.lab.Interrupt.request();
        timer.schedule(() -> {
            if (interruptedCell == current && cell.get() == current) {
                for (Thread t : executor.running) {
                    t.interrupt();
                }
            }
        }, threadInterruptMillis, TimeUnit.MILLISECONDS);
        timer.schedule(() -> {
            if (interruptedCell == current && cell.get() == current && !executor.running.isEmpty()) {
                LOGGER.info("the interrupted code did not stop within " + graceMillis + " ms: ending the cell now");
                giveBack();
            }
        }, graceMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * rapaio's own interrupt of the running snippets: their futures are cancelled, the cell ends now.
     * Threads still running are remembered as abandoned, and the cell's output says so first.
     */
    private void giveBack() {
        List<Thread> still = new ArrayList<>(executor.running);
        if (!still.isEmpty()) {
            abandoned.addAll(still);
            notice.accept(STILL_RUNNING + (STOP_SUPPORTED
                    ? " Pressing ■ (interrupt) once more stops its thread by force (Thread.stop); that can leave"
                    + " half-updated objects behind, so restart the kernel if anything misbehaves afterwards."
                    : " (It cannot be stopped from inside the kernel: this JDK no longer supports Thread.stop.)"));
        }
        giveBack.run();
    }

    /** Whether this JDK still has a working {@link Thread#stop()} (it throws from JDK 20 on). */
    static final boolean STOP_SUPPORTED = Runtime.version().feature() < 20;

    /**
     * The interrupt after a cell was given back: stops the abandoned threads with
     * {@link Thread#stop()} where the JDK still supports it. Java has no safe way to end a thread
     * that ignores interrupts: {@code Thread.stop} throws {@code ThreadDeath} wherever the thread
     * is, releasing its locks with its objects half-updated (deprecated since Java 1.2, it throws
     * {@code UnsupportedOperationException} from JDK 20 on, where only a kernel restart ends such
     * code). It is used only on this explicit second request, after the notice in the cell output.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private void stopAbandoned() {
        int stopped = 0;
        boolean unsupported = false;
        for (Thread t : abandoned) {
            try {
                t.stop();
                stopped++;
            } catch (UnsupportedOperationException e) {
                unsupported = true;
            }
        }
        abandoned.clear();
        String text = unsupported
                ? "The abandoned code cannot be stopped: this JDK no longer supports Thread.stop; Kernel → Restart stops it."
                : "Interrupt: stopped the abandoned thread" + (stopped == 1 ? "" : "s") + " of the earlier cell (Thread.stop);"
                + " restart the kernel if anything misbehaves afterwards.";
        LOGGER.info(text);
        notice.accept(text);
    }

    /** Whether a snippet submitted now belongs to a cell that was interrupted (and is to be skipped). */
    boolean skipping() {
        return interruptedCell != -1 && interruptedCell == cell.get() && cellRunning;
    }

    /**
     * rapaio's cached snippet pool ({@code Executors.newCachedThreadPool(factory)}) that also knows
     * which threads are running a snippet, and that skips the snippets of an interrupted cell: such a
     * snippet gets a cancelled future, which rapaio reports as "Execution interrupted".
     */
    static final class TrackingExecutor extends ThreadPoolExecutor {

        final Set<Thread> running = ConcurrentHashMap.newKeySet();
        volatile KernelInterrupts owner;

        TrackingExecutor(ThreadFactory factory) {
            super(0, Integer.MAX_VALUE, 60L, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
        }

        @Override
        public <T> Future<T> submit(Callable<T> task) {
            KernelInterrupts o = owner;
            if (o != null && o.skipping()) {
                FutureTask<T> skipped = new FutureTask<>(task);
                skipped.cancel(false);
                return skipped;
            }
            return super.submit(task);
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            running.add(t);
            super.beforeExecute(t, r);
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            running.remove(Thread.currentThread());
        }
    }
}

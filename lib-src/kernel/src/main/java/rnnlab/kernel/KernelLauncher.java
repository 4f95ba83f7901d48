package rnnlab.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.LogManager;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.LoopThread;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.display.DisplaySystem;
import org.rapaio.jupyter.kernel.message.MessageType;

/**
 * Starts the rapaio Java kernel the way its own {@code MainApp} does, minus two start-up races.
 *
 * <p><b>1. Handlers installed after the sockets are bound.</b> rapaio-jupyter-kernel 3.0.1 binds its
 * sockets and starts the shell loop <em>before</em> it installs its message handlers
 * ({@code Channels.connect}). A {@code kernel_info_request} that arrives in that gap — Jupyter sends
 * one as soon as the kernel process exists — makes the shell thread die on a
 * {@code NullPointerException} ("handlers is null"), and the kernel never answers. This launcher does
 * not call {@code connect}: {@link EarlyChannels} installs a complete handler table first, then binds
 * the sockets, so no request can meet a missing handler.
 *
 * <p><b>2. Loop threads that exit before their first iteration.</b> The heartbeat, shell and control
 * sockets are each served by an upstream {@code LoopThread}, whose {@code start()} is
 * <pre>   super.start(); running = true;</pre>
 * and whose {@code run()} is {@code while (running) { body; sleep(50 ms); }}. The new thread can reach
 * {@code while (running)} before the starting thread has set {@code running}: it then sees
 * {@code false} and ends at once, silently (no exception, nothing logged). On our loaded 2-core
 * machines that happened in about one start in four: a thread dump of such a kernel shows the main
 * thread in {@code Channels.joinUntilClose} and only some of the three loop threads ("Heartbeat-0",
 * "Shell-0" for the shell and, by upstream's naming, "Shell-0" again for control) alive, and its log
 * never shows "Handling message". With the shell loop gone the kernel never answers
 * {@code kernel_info_request} ("Kernel didn't respond in 30 seconds"); with the control loop gone it
 * ignores shutdown and interrupt; with the heartbeat gone a client that watches the heartbeat calls
 * it dead; with all three gone {@code joinUntilClose} returns at once and the JVM exits ("Kernel died
 * before replying to kernel_info"). A bare loop of {@code LoopThread} starts on this machine lost
 * 12-22 % of them.
 * {@code LoopThread} is final and {@code bind} starts it, so we cannot get between the two lines.
 * Instead, right after the sockets are bound, {@link #restartLoops} stops each of the three loop threads
 * ({@code shutdown()}: a live one ends after its current iteration), waits for all of them to end,
 * and puts in each channel a new {@code LoopThread} with the same name, body and sleep whose
 * {@code running} flag is set <em>before</em> it is started, so it cannot miss it. A request that
 * arrives meanwhile waits in its ZMQ socket; the swap costs one loop iteration (~50 ms).
 *
 * <p><b>3. Interrupts.</b> Interrupt requests on the control socket go to {@link KernelInterrupts}, so
 * that Jupyter's interrupt stops the running code and ends the cell properly (upstream's interrupt
 * leaves the cell without a reply and loses later output; see that class).
 *
 * <p><b>4. Request latency.</b> The shell and control sockets are served by {@link ServingLoop}, which
 * waits in the socket poll instead of sleeping 50 ms between polls (a trivial cell: 81 → 24 ms).
 *
 * <p><b>Start-up work in parallel.</b> rapaio makes JShell and runs its start-up scripts (0.8-1.9 s of
 * javac work) before it binds a socket, so Jupyter's handshake could only begin after that. Here JShell
 * is made on its own thread ("rnnlab-kernel-start") while the main thread binds the sockets and
 * {@link EarlyChannels} answers {@code kernel_info_request} at once; every other request waits in its
 * loop for the kernel and is then served by the kernel's own handler (fresh kernel to the reply of a
 * first model cell: median 1.31 s vs 1.73 s, 6 interleaved runs each). Meanwhile {@link Warmup} loads
 * ND4J's native backend and DL4J's training path on a third thread, so a first model cell no longer
 * waits ~1.3 s for them ({@code RNNLAB_KERNEL_WARMUP=0} turns it off). {@code RNNLAB_KERNEL_TRACE=1}
 * logs the start-up phases with wall-clock times ({@link #trace}); lib-src/bench/BACKEND.md has the
 * measured breakdown.
 *
 * <p><b>Interoperability.</b> Every shown value carries text/plain ({@link PlainText}), and
 * {@code %dependency} caches in the user's cache folder and never loads a second version of a library
 * the kernel has ({@link DependencyGuard}).
 *
 * <p>Everything else is the upstream kernel, unchanged. Used as the main class of the {@code rnnlab}
 * kernelspec. {@code environment/kernel_starts.py} starts a kernel many times and keeps a thread dump
 * of any start that does not answer; the upstream fix is to set {@code running = true} before
 * {@code super.start()} in {@code LoopThread.start()} (or to loop on {@code !isInterrupted()}).
 */
public final class KernelLauncher {

    private KernelLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelLauncher <connection file>  (Jupyter passes {connection_file})");
            System.exit(2);
        }
        // A kernel thread that dies must say why in the kernel log: System.err is swapped for the
        // notebook's stream while a cell runs, so keep the process's own stderr for this.
        java.io.PrintStream log = System.err;
        traceLog = log;
        trace("main");
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            log.println("rnnlab: kernel thread " + t.getName() + " died:");
            e.printStackTrace(log);
            log.flush();
        });
        // ND4J's backend and DL4J's training path load beside JShell's start-up (see Warmup).
        Warmup.startInBackground(log);
        Path connectionFile = Path.of(args[0]);
        if (!Files.isRegularFile(connectionFile)) {
            throw new IllegalArgumentException("Connection file '" + connectionFile + "' isn't a file.");
        }
        var logging = MainApp.class.getClassLoader().getResourceAsStream("logging.properties");
        if (logging != null) {
            LogManager.getLogManager().readConfiguration(logging);
        }
        ConnectionProperties props = Transform.fromJson(Files.readString(connectionFile), ConnectionProperties.class);
        if ("ipc".equals(props.transport())) {
            throw new IllegalArgumentException("ipc transport is not supported by the rapaio kernel; use tcp");
        }
        // JShell (MainApp.kernel: JShell plus the start-up scripts) is made on its own thread while the
        // sockets are bound and Jupyter's handshake is answered (EarlyChannels).
        CompletableFuture<RapaioKernel> made = new CompletableFuture<>();
        Thread maker = new Thread(() -> {
            try {
                made.complete(MainApp.kernel);
            } catch (Throwable e) {
                made.completeExceptionally(e);
            }
        }, "rnnlab-kernel-start");
        maker.setDaemon(true);
        maker.start();
        Channels channels = new Channels(props);
        EarlyChannels early = new EarlyChannels(channels);
        early.bind(props);
        restartLoops(channels, Map.of(
                "shell", ServingLoop.body(channels, (AbstractChannel) Upstream.field(Channels.class, "shell").get(channels),
                        "ShellChannel", null),
                "control", ServingLoop.body(channels, (AbstractChannel) Upstream.field(Channels.class, "control").get(channels),
                        "ControlChannel", early::intercept)));
        trace("serving");
        RapaioKernel kernel;
        try {
            kernel = made.join();
        } catch (CompletionException e) {
            early.failed(e.getCause());
            log.println("rnnlab: the kernel could not start:");
            e.getCause().printStackTrace(log);
            log.flush();
            System.exit(1);
            return;
        }
        trace("JShell ready");
        adapt(kernel, log);
        KernelInterrupts interrupts = KernelInterrupts.install(kernel);
        kernel.registerChannels(channels);
        early.ready(installHandlers(channels, kernel, interrupts), interrupts);
        channels.joinUntilClose();
    }

    /**
     * The changes that make the kernel play well with other code ({@link PlainText}: every value has
     * text/plain; {@link DependencyGuard}: {@code %dependency} caches in the user's cache folder and does
     * not load a second version of a library the kernel has). Each is logged and skipped if it fails: the
     * kernel still works without it.
     */
    static void adapt(RapaioKernel kernel, java.io.PrintStream log) {
        try {
            PlainText.install(DisplaySystem.inst());
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.println("rnnlab: plain values will show as HTML only (rapaio's display system changed?): " + e);
        }
        try {
            DependencyGuard.install(kernel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.println("rnnlab: %dependency runs unguarded, caching beside the kernel jar (rapaio's resolver changed?): " + e);
        }
        log.flush();
    }

    /** Set by {@code RNNLAB_KERNEL_TRACE=1}: start-up phases are logged with wall-clock times. */
    private static final boolean TRACE = "1".equals(System.getenv("RNNLAB_KERNEL_TRACE"));
    private static volatile java.io.PrintStream traceLog = System.err;

    /**
     * With {@code RNNLAB_KERNEL_TRACE=1} in the kernel's environment, logs one line
     * {@code rnnlab-trace <epoch ms> <thread> <phase>} on the kernel's own log stream (not a cell's):
     * lib-src/bench/BACKEND.md's start-up breakdown was read from these lines.
     */
    static void trace(String phase) {
        if (TRACE) {
            traceLog.println("rnnlab-trace " + System.currentTimeMillis() + " " + Thread.currentThread().getName() + " " + phase);
            traceLog.flush();
        }
    }

    /**
     * The handler table {@code Channels.connect} installs, with the execute handler wrapped by
     * {@code interrupts} (when given) so that an interrupt knows the cell it belongs to.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Map<MessageType<?>, MessageHandler<?>> installHandlers(Channels channels, RapaioKernel kernel,
            KernelInterrupts interrupts) throws ReflectiveOperationException {
        Map<MessageType<?>, MessageHandler<?>> handlers = new HashMap<>();
        MessageHandler execute = (MessageHandler) kernel::handleExecuteRequest;
        handlers.put(MessageType.SHELL_EXECUTE_REQUEST, interrupts == null ? execute : interrupts.wrapExecute(execute));
        handlers.put(MessageType.SHELL_INSPECT_REQUEST, (MessageHandler) kernel::handleInspectRequest);
        handlers.put(MessageType.SHELL_COMPLETE_REQUEST, (MessageHandler) kernel::handleCompleteRequest);
        handlers.put(MessageType.SHELL_HISTORY_REQUEST, (MessageHandler) kernel::handleHistoryRequest);
        handlers.put(MessageType.SHELL_IS_COMPLETE_REQUEST, (MessageHandler) kernel::handleIsCompleteRequest);
        handlers.put(MessageType.SHELL_KERNEL_INFO_REQUEST, (MessageHandler) kernel::handleKernelInfoRequest);
        handlers.put(MessageType.CONTROL_SHUTDOWN_REQUEST, (MessageHandler) kernel::handleShutdownRequest);
        handlers.put(MessageType.CONTROL_INTERRUPT_REQUEST, (MessageHandler) kernel::handleInterruptRequest);
        handlers.put(MessageType.CUSTOM_COMM_OPEN, (MessageHandler) kernel::handleCommOpenCommand);
        handlers.put(MessageType.CUSTOM_COMM_MSG, (MessageHandler) kernel::handleCommMsgCommand);
        handlers.put(MessageType.CUSTOM_COMM_CLOSE, (MessageHandler) kernel::handleCommCloseCommand);
        handlers.put(MessageType.SHELL_COMM_INFO_REQUEST, (MessageHandler) kernel::handleCommInfoRequest);
        Upstream.field(Channels.class, "handlers").set(channels, handlers);
        return handlers;
    }

    /** The {@code Channels} fields whose channel serves its socket from a {@code LoopThread}. */
    static final List<String> LOOP_CHANNELS = List.of("heartbeat", "shell", "control");

    /**
     * Replaces the loop thread of the heartbeat, shell and control channels by one that cannot miss
     * its {@code running} flag (see the class comment, race 2). Each old loop thread is stopped and
     * awaited first, so two threads never serve one socket. Nothing is started once the kernel has
     * been asked to shut down.
     */
    static void restartLoops(Channels channels) throws ReflectiveOperationException, InterruptedException {
        restartLoops(channels, Map.of());
    }

    /**
     * {@link #restartLoops(Channels)}, serving the channels named in {@code bodies} ({@code "shell"},
     * {@code "control"}) with the given loop body instead of upstream's, and with no sleep between its
     * iterations: such a body waits in its own socket poll ({@link ServingLoop}).
     */
    static void restartLoops(Channels channels, Map<String, Runnable> bodies)
            throws ReflectiveOperationException, InterruptedException {
        List<String> names = new ArrayList<>();
        List<Object> owners = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        List<LoopThread> old = new ArrayList<>();
        for (String name : LOOP_CHANNELS) {
            Object channel = Upstream.field(Channels.class, name).get(channels);
            Field f = Upstream.field(channel.getClass(), "loopThread");
            LoopThread t = (LoopThread) f.get(channel);
            if (t == null) {
                throw new IllegalStateException(name + " channel has no loop thread: restartLoops must follow connect");
            }
            t.shutdown();
            names.add(name);
            owners.add(channel);
            fields.add(f);
            old.add(t);
        }
        for (LoopThread t : old) {
            t.join();
        }
        for (int i = 0; i < old.size(); i++) {
            if (channels.isMarkedForShutdown()) {
                return;
            }
            Runnable body = bodies.get(names.get(i));
            LoopThread fresh = runningCopy(old.get(i), body, body == null ? -1 : 0);
            fields.get(i).set(owners.get(i), fresh);
            fresh.start();
        }
    }

    /** A new, not yet started loop thread with the same name, body and sleep, already marked running. */
    static LoopThread runningCopy(LoopThread t) throws ReflectiveOperationException {
        return runningCopy(t, null, -1);
    }

    /**
     * {@link #runningCopy(LoopThread)} with another body, if {@code body} is not null, and another
     * sleep between iterations, if {@code sleepMillis >= 0}.
     */
    static LoopThread runningCopy(LoopThread t, Runnable body, long sleepMillis) throws ReflectiveOperationException {
        LoopThread copy = new LoopThread(t.getName(),
                sleepMillis >= 0 ? sleepMillis : Upstream.field(LoopThread.class, "sleep").getLong(t),
                body != null ? body : (Runnable) Upstream.field(LoopThread.class, "loopBody").get(t));
        Upstream.field(LoopThread.class, "running").setBoolean(copy, true);
        return copy;
    }
}

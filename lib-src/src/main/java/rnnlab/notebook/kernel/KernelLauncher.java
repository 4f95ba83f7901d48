package rnnlab.notebook.kernel;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.LogManager;

import org.rapaio.jupyter.kernel.MainApp;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.core.Transform;
import org.rapaio.jupyter.kernel.message.MessageType;

/**
 * Starts the rapaio Java kernel the way its own {@code MainApp} does, minus a start-up race.
 *
 * <p>rapaio-jupyter-kernel 3.0.1 binds its sockets and starts the shell loop <em>before</em> it
 * installs its message handlers ({@code Channels.connect}). A {@code kernel_info_request} that
 * arrives in that gap — Jupyter sends one as soon as the kernel process exists — makes the shell
 * thread die on a {@code NullPointerException} ("handlers is null"), and the kernel never answers.
 * On a loaded machine the gap is long enough to hit often. This launcher registers the channels with
 * the kernel and installs the same handler table before {@code connect} binds anything, so an early
 * request is served; {@code connect} then installs its own, equal table. Everything else is the
 * upstream kernel, unchanged. Used as the main class of the {@code rnnlab} kernelspec.
 *
 * <p>Known remaining problem: on this machine about one kernel start in four or five still loses a
 * socket loop thread with no exception (the uncaught-exception handler below stays silent), with
 * the upstream {@code MainApp} as well, and never answers. The notebook runner therefore gives a
 * start 30 s and starts again; in Jupyter, restart the kernel.
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
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            log.println("rnnlab: kernel thread " + t.getName() + " died:");
            e.printStackTrace(log);
            log.flush();
        });
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
        RapaioKernel kernel = MainApp.kernel;
        Channels channels = new Channels(props);
        kernel.registerChannels(channels);
        installHandlers(channels, kernel);
        channels.connect(kernel);
        channels.joinUntilClose();
    }

    /** The handler table {@code Channels.connect} installs, put in place before it binds. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static void installHandlers(Channels channels, RapaioKernel kernel) throws ReflectiveOperationException {
        Map<MessageType<?>, MessageHandler> handlers = new HashMap<>();
        handlers.put(MessageType.SHELL_EXECUTE_REQUEST, (MessageHandler) kernel::handleExecuteRequest);
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
        Field f = Channels.class.getDeclaredField("handlers");
        f.setAccessible(true);
        f.set(channels, handlers);
    }
}

package rnnlab.kernel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.rapaio.jupyter.kernel.GeneralProperties;
import org.rapaio.jupyter.kernel.channels.AbstractChannel;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.channels.IOPubChannel;
import org.rapaio.jupyter.kernel.channels.MessageHandler;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.LanguageInfo;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.IOPubStatus;
import org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply;

/**
 * The kernel's sockets, bound and answering {@code kernel_info_request} while JShell is still being
 * created. rapaio's start-up creates the kernel (JShell plus the start-up scripts: 0.8–1.9 s here)
 * before it binds a socket, so Jupyter's handshake (kernel_info, then waiting for IOPub) only begins
 * after that; with this class the two overlap. Until {@link #ready} every other request waits in its
 * loop thread for the kernel and is then served by the kernel's own handler; an interrupt that comes
 * before the kernel exists is answered and has nothing to stop.
 *
 * <p>The early {@code kernel_info_reply} is the one rapaio's {@code RapaioKernel} builds (protocol 5.4,
 * its name and version, Java's language info, banner and help link); a test checks they are equal.
 */
final class EarlyChannels {

    /** The message types rapaio's kernel handles (the table {@code Channels.connect} installs). */
    static final List<MessageType<?>> HANDLED = List.of(MessageType.SHELL_EXECUTE_REQUEST, MessageType.SHELL_INSPECT_REQUEST,
            MessageType.SHELL_COMPLETE_REQUEST, MessageType.SHELL_HISTORY_REQUEST, MessageType.SHELL_IS_COMPLETE_REQUEST,
            MessageType.SHELL_KERNEL_INFO_REQUEST, MessageType.CONTROL_SHUTDOWN_REQUEST, MessageType.CONTROL_INTERRUPT_REQUEST,
            MessageType.CUSTOM_COMM_OPEN, MessageType.CUSTOM_COMM_MSG, MessageType.CUSTOM_COMM_CLOSE,
            MessageType.SHELL_COMM_INFO_REQUEST);

    private final Channels channels;
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Map<MessageType<?>, MessageHandler<?>> kernelHandlers;
    private volatile KernelInterrupts interrupts;
    private volatile Throwable failed;

    EarlyChannels(Channels channels) {
        this.channels = channels;
    }

    /** rapaio's {@code kernel_info_reply}, built without the kernel. */
    static ShellKernelInfoReply kernelInfo() {
        GeneralProperties p = new GeneralProperties("default");
        LanguageInfo language = LanguageInfo.kernelLanguageInfo();
        return new ShellKernelInfoReply("5.4", p.getKernelName(), p.getKernelVersion(), language,
                language.name() + " " + language.version(),
                List.of(new LanguageInfo.Help("rapaio-jupyter-kernel homepage", "https://github.com/padreati/rapaio-jupyter-kernel")));
    }

    /**
     * What {@code Channels.connect} does, without the kernel: installs the early handler table, binds
     * every socket, announces {@code starting} on IOPub and marks the channels connected (so a later
     * {@code connect} does nothing).
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    void bind(ConnectionProperties props) throws ReflectiveOperationException {
        ShellKernelInfoReply info = kernelInfo();
        Map<MessageType<?>, MessageHandler> early = new HashMap<>();
        for (MessageType<?> type : HANDLED) {
            early.put(type, message -> {
                if (type.equals(MessageType.SHELL_KERNEL_INFO_REQUEST) && kernelHandlers == null) {
                    channels.busyThenIdle();
                    channels.reply(info);
                    return;
                }
                MessageHandler real = awaitKernel().get(type);
                if (real != null) {
                    real.handle(message);
                }
            });
        }
        Upstream.field(Channels.class, "handlers").set(channels, early);
        for (AbstractChannel c : (Set<AbstractChannel>) Upstream.field(Channels.class, "channels").get(channels)) {
            c.bind(props);
        }
        ((IOPubChannel) Upstream.field(Channels.class, "iopub").get(channels))
                .sendMessage(new Message<>(MessageType.IOPUB_STATUS, IOPubStatus.STARTING));
        Upstream.field(Channels.class, "isConnected").setBoolean(channels, true);
    }

    /** The kernel exists: requests that waited are served by {@code handlers}, and interrupts by {@code interrupts}. */
    void ready(Map<MessageType<?>, MessageHandler<?>> handlers, KernelInterrupts interrupts) {
        this.interrupts = interrupts;
        this.kernelHandlers = Map.copyOf(handlers);
        ready.countDown();
    }

    /** The kernel could not be made: waiting requests fail (and the launcher ends the process). */
    void failed(Throwable e) {
        failed = e;
        ready.countDown();
    }

    /** The control channel's interrupt handling: {@link KernelInterrupts#intercept}, or a reply only before the kernel exists. */
    boolean intercept(AbstractChannel control, Message<?> message) {
        KernelInterrupts i = interrupts;
        if (i != null) {
            return i.intercept(control, message);
        }
        return KernelInterrupts.answerInterrupt(control, message, "before the kernel is ready: nothing runs yet");
    }

    private Map<MessageType<?>, MessageHandler<?>> awaitKernel() {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the kernel to start", e);
        }
        if (failed != null) {
            throw new IllegalStateException("the kernel did not start: " + failed, failed);
        }
        return kernelHandlers;
    }
}

/**
 * The benchmark and the by-hand measurements: {@link rnnlab.bench.Bench} times rnnlab's training steps
 * against PyTorch's ({@code lib-src/bench/run-bench.sh}, {@code environment/lab bench}; the PyTorch side
 * is {@code lib-src/bench/torch_bench.py}) on models built directly with DL4J ({@link rnnlab.bench.Dl4jModels});
 * {@link rnnlab.bench.BackendProbe} times one step on one nd4j-native binary ({@code probe.sh}); the other
 * mains are experiments run by hand on the full datasets (each says what it measures and its PyTorch peer).
 *
 * <p>Its own Maven module and jar ({@code lib-src/bench}, {@code rnnlab-bench.jar}) on top of every
 * library package: it imports the library, calls Python, and nothing in {@code rnnlab.jar} may import it.
 * The mains run from the project folder, after {@code environment/lab setup} (or
 * {@code mvn -B -q package -DskipTests}), with
 * <pre>
 * java @lib-src/jvm/vector-api.args -cp lib-src/bench/target/rnnlab-bench.jar:lib-src/target/rnnlab.jar:lib-src/target/lib/* rnnlab.bench.NAME ARGS
 * </pre>
 * ({@code lib-src/jvm/vector-api.args} gives the convolution layers the Vector API, as the kernel has it).
 * One measurement stays in package {@code rnnlab.train} in this module's test sources,
 * {@code TrainerOverheadBench}, because it times Trainer's package-private pieces.
 */
package rnnlab.bench;

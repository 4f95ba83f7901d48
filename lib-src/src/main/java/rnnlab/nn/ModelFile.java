package rnnlab.nn;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.data.AtomicFiles;
import rnnlab.nn.dl4j.FormerNames;

/**
 * The file format of {@link Model#save} / {@link Model#load}: DL4J's {@code ModelSerializer} zip
 * ({@code configuration.json}, {@code coefficients.bin}, {@code updaterState.bin}) plus
 * {@value #META_JSON} with the layer descriptions as plain JSON (no class names). Mirrors Keras's
 * {@code .keras} zip (config JSON + weights).
 *
 * <p>Reading is defensive, because a model file may come from anyone: nothing is deserialized with
 * Java serialization except the old {@value #LEGACY_META} entry (files saved before the JSON
 * metadata), and that only through an allow-list {@link ObjectInputFilter} with depth and size
 * limits; DL4J's configuration JSON names the classes it instantiates ({@code "@class"}), so every
 * class name in it is checked against the packages {@code org.deeplearning4j.}, {@code org.nd4j.}
 * and {@code rnnlab.} before DL4J parses it; entries DL4J would read with Java serialization
 * ({@code preprocessor.bin}, {@code normalizer.bin}) are refused; the parameter count the
 * configuration implies is checked against the stored parameters before anything is allocated.
 */
final class ModelFile {

    /** The metadata entry (JSON) written since issue 18. */
    static final String META_JSON = "rnnlab-model.json";
    /** The metadata entry of older files (a Java-serialized {@code Model.Meta}). */
    static final String LEGACY_META = "rnnlab-model";

    private static final String CONFIG = "configuration.json";
    private static final String COEFFICIENTS = "coefficients.bin";
    private static final String UPDATER = "updaterState.bin";
    private static final Set<String> KNOWN_ENTRIES = Set.of(CONFIG, COEFFICIENTS, UPDATER, "noParams.marker", META_JSON,
            LEGACY_META);
    private static final List<String> ALLOWED_PACKAGES = List.of("org.deeplearning4j.", "org.nd4j.", "rnnlab.");
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+");
    private static final long MAX_JSON_BYTES = 16L << 20;
    /** 500 M parameters (2 GB as float): far above any network here, far below what a file can claim. */
    static final long MAX_PARAMS = 500_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** The layer types a metadata file may name, by a fixed name (never a class name from the file). */
    private static final Map<String, Class<? extends Layer>> LAYER_TYPES = new LinkedHashMap<>();

    static {
        addLayerTypes(Layer.class);
    }

    /** Every record the sealed {@link Layer} permits (through {@link Layer.Recurrent}), in {@code permits} order. */
    private static void addLayerTypes(Class<?> sealed) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isSealed()) {
                addLayerTypes(c);
            } else {
                LAYER_TYPES.put(c.getSimpleName(), c.asSubclass(Layer.class));
            }
        }
    }

    private ModelFile() {
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code net} and {@code meta} to {@code file} atomically (a temporary file renamed over it). */
    static void write(MultiLayerNetwork net, Model.Meta meta, Path file) throws IOException {
        byte[] json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(meta));
        AtomicFiles.write(file, tmp -> {
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            appendEntry(tmp, META_JSON, json);
        });
    }

    /** Copies the zip {@code zip} with one more entry, in place (through a sibling temporary file). */
    private static void appendEntry(Path zip, String name, byte[] content) throws IOException {
        Path with = Files.createTempFile(zip.toAbsolutePath().getParent(), "." + zip.getFileName() + ".", ".tmp");
        try {
            try (ZipFile in = new ZipFile(zip.toFile()); OutputStream raw = Files.newOutputStream(with);
                 ZipOutputStream out = new ZipOutputStream(raw)) {
                Enumeration<? extends ZipEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream s = in.getInputStream(e)) {
                        s.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new ZipEntry(name));
                out.write(content);
                out.closeEntry();
            }
            Files.move(with, zip, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(with);
        }
    }

    static JsonNode toJson(Model.Meta meta) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("name", meta.name());
        ArrayNode layers = root.putArray("layers");
        for (Layer l : meta.layers()) {
            layers.add(layerJson(l));
        }
        root.set("names", JSON.valueToTree(meta.names()));
        root.set("ranges", JSON.valueToTree(meta.ranges()));
        root.set("input", JSON.valueToTree(meta.input()));
        root.set("optimizer", JSON.valueToTree(meta.optimizer()));
        root.set("loss", JSON.valueToTree(meta.loss()));
        root.put("seed", meta.seed());
        root.set("warnings", JSON.valueToTree(meta.warnings()));
        root.set("rows", JSON.valueToTree(meta.rows()));
        return root;
    }

    private static ObjectNode layerJson(Layer l) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", l.getClass().getSimpleName());
        if (l instanceof Layer.Bidirectional b) {
            n.set("layer", layerJson(b.layer()));
            n.put("name", b.name());
        } else {
            n.setAll((ObjectNode) JSON.valueToTree(l));
        }
        return n;
    }

    // ------------------------------------------------------------------ reading

    /** Reads a file written by {@link #write} (or by an older {@code Model.save}); every failure is an {@link IllegalArgumentException} naming the file. */
    static Model read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model file " + file + " does not exist or is not a file");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                String name = en.nextElement().getName();
                if (!KNOWN_ENTRIES.contains(name)) {
                    throw bad(file, "it has an entry '" + name + "' that Model.save never writes (DL4J reads preprocessor.bin"
                            + " and normalizer.bin with Java deserialization, which a model file from elsewhere could abuse)");
                }
            }
            if (zip.getEntry(CONFIG) == null || zip.getEntry(COEFFICIENTS) == null) {
                throw bad(file, "it has no " + CONFIG + " / " + COEFFICIENTS + ": not a model written by Model.save");
            }
            Model.Meta meta;
            if (zip.getEntry(META_JSON) != null) {
                meta = metaFromJson(file, readEntry(zip, META_JSON, MAX_JSON_BYTES, file));
            } else if (zip.getEntry(LEGACY_META) != null) {
                meta = legacyMeta(file, readEntry(zip, LEGACY_META, 1 << 20, file));
            } else {
                throw bad(file, "it has no '" + META_JSON + "' entry: it was not written by rnnlab.nn.Model.save (a bare DL4J"
                        + " model, e.g. from Trainer's checkpoint of a plain MultiLayerNetwork, loads with ModelSerializer)");
            }
            // files saved before rnnlab.nn.dl4j had sub-packages name its classes by their former names
            String conf = FormerNames.upgrade(new String(readEntry(zip, CONFIG, MAX_JSON_BYTES, file), StandardCharsets.UTF_8));
            checkClassNames(file, conf);
            MultiLayerNetwork net = network(file, zip, conf);
            checkRanges(file, meta, net.getnLayers());
            return new Model(meta, net);
        } catch (ZipException e) {
            throw bad(file, "it is not a zip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Each layer description must map to DL4J layers [from, to) of the network, in order. */
    private static void checkRanges(Path file, Model.Meta meta, int dl4jLayers) {
        int prev = 0;
        for (int[] r : meta.ranges()) {
            if (r == null || r.length != 2 || r[0] < prev || r[1] < r[0] || r[1] > dl4jLayers) {
                throw bad(file, "its " + META_JSON + " maps a layer to DL4J layers " + java.util.Arrays.toString(r)
                        + ", which the network of " + dl4jLayers + " layers does not have");
            }
            prev = r[1];
        }
    }

    private static MultiLayerNetwork network(Path file, ZipFile zip, String json) throws IOException {
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(json);
        } catch (RuntimeException e) {
            throw bad(file, "its " + CONFIG + " is not a DL4J MultiLayerConfiguration (" + e.getMessage() + ")");
        }
        long expected = 0;
        for (NeuralNetConfiguration c : conf.getConfs()) {
            expected += c.getLayer().initializer().numParams(c);
            if (expected > MAX_PARAMS) {
                throw bad(file, "its configuration asks for more than " + MAX_PARAMS + " parameters");
            }
        }
        long maxBytes = expected * 8 + (1 << 16);
        INDArray params = readArray(file, zip, COEFFICIENTS, maxBytes);
        if (params.length() != expected) {
            throw bad(file, COEFFICIENTS + " holds " + params.length() + " parameters, its configuration " + expected);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params.reshape(1, expected), false);
        if (zip.getEntry(UPDATER) != null) {
            long state = net.getUpdater(true).getStateViewArray() == null ? 0 : net.getUpdater(true).getStateViewArray().length();
            INDArray u = readArray(file, zip, UPDATER, state * 8 + (1 << 16));
            if (u.length() != state) {
                throw bad(file, UPDATER + " holds " + u.length() + " values, the optimizer of its configuration " + state);
            }
            net.getUpdater(true).setStateViewArray(net, u.reshape(1, state), false);
        }
        return net;
    }

    private static INDArray readArray(Path file, ZipFile zip, String entry, long maxBytes) throws IOException {
        byte[] b = readEntry(zip, entry, maxBytes, file);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            return Nd4j.read(in);
        } catch (RuntimeException | IOException e) {
            throw bad(file, "its " + entry + " is not an ND4J array (" + e + ")");
        }
    }

    private static byte[] readEntry(ZipFile zip, String name, long maxBytes, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e.getSize() > maxBytes) {
            throw bad(file, "its entry " + name + " has " + e.getSize() + " bytes, more than the " + maxBytes + " it can need");
        }
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (b.length > maxBytes) {
                throw bad(file, "its entry " + name + " has more than the " + maxBytes + " bytes it can need");
            }
            return b;
        }
    }

    /**
     * DL4J's configuration JSON is read by a Jackson mapper that instantiates the class named by each
     * {@code "@class"} property (and, in Jackson's array form, by the first string of an array). Every
     * such name must be a plain class name in DL4J's, ND4J's or rnnlab's packages.
     */
    static void checkClassNames(Path file, String json) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            boolean arrayStart = false;
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                boolean first = arrayStart;
                arrayStart = t == JsonToken.START_ARRAY;
                if (t != JsonToken.VALUE_STRING) {
                    continue;
                }
                String v = p.getText();
                boolean typeId = "@class".equals(p.currentName()) && p.getParsingContext().inObject();
                boolean wrapper = first && (v.indexOf('.') >= 0 || v.indexOf('<') >= 0 || v.indexOf('[') >= 0);
                if ((typeId || wrapper) && !allowedClass(v)) {
                    throw bad(file, "its " + CONFIG + " names the class '" + v + "'; a model file may only name DL4J, ND4J"
                            + " and rnnlab layer/configuration classes (refused: loading it could run code from elsewhere)");
                }
            }
        } catch (IOException e) {
            throw bad(file, "its " + CONFIG + " is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static boolean allowedClass(String name) {
        return CLASS_NAME.matcher(name).matches() && ALLOWED_PACKAGES.stream().anyMatch(name::startsWith);
    }

    private static Model.Meta metaFromJson(Path file, byte[] bytes) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject() || root.path("format").asInt() != 1) {
                throw bad(file, "its " + META_JSON + " is not rnnlab model metadata of format 1");
            }
            ArrayList<Layer> layers = new ArrayList<>();
            for (JsonNode l : root.path("layers")) {
                layers.add(layerFromJson(file, l));
            }
            List<String> names = JSON.convertValue(root.get("names"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            int[][] ranges = JSON.treeToValue(root.get("ranges"), int[][].class);
            InputSpec input = JSON.treeToValue(root.get("input"), InputSpec.class);
            Optimizer optimizer = root.get("optimizer").isNull() ? null : JSON.treeToValue(root.get("optimizer"), Optimizer.class);
            Loss loss = root.get("loss").isNull() ? null : JSON.treeToValue(root.get("loss"), Loss.class);
            ArrayList<String> warnings = new ArrayList<>(JSON.convertValue(root.get("warnings"),
                    JSON.getTypeFactory().constructCollectionType(List.class, String.class)));
            List<Model.Row> rows = root.get("rows").isNull() ? null : JSON.convertValue(root.get("rows"),
                    JSON.getTypeFactory().constructCollectionType(List.class, Model.Row.class));
            if (names.size() != layers.size() || ranges.length != layers.size() || rows != null && rows.size() != layers.size()) {
                throw bad(file, "its " + META_JSON + " lists " + layers.size() + " layers but " + names.size() + " names, "
                        + ranges.length + " ranges");
            }
            return new Model.Meta(root.path("name").asText(), layers, names, ranges, input, optimizer, loss,
                    root.path("seed").asLong(), warnings, rows);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("model file")) {
                throw iae;
            }
            throw bad(file, "its " + META_JSON + " does not describe a model (" + e.getMessage() + ")");
        }
    }

    private static Layer layerFromJson(Path file, JsonNode n) throws IOException {
        String type = n.path("type").asText();
        Class<? extends Layer> c = LAYER_TYPES.get(type);
        if (c == null) {
            throw bad(file, "its " + META_JSON + " has a layer of unknown type '" + type + "'; known: " + LAYER_TYPES.keySet());
        }
        ObjectNode fields = ((ObjectNode) n).deepCopy();
        fields.remove("type");
        if (c == Layer.Bidirectional.class) {
            Layer inner = layerFromJson(file, fields.path("layer"));
            if (!(inner instanceof Layer.Recurrent r)) {
                throw bad(file, "its " + META_JSON + " wraps a " + inner.kerasType() + " in Bidirectional");
            }
            return new Layer.Bidirectional(r, fields.path("name").isNull() ? null : fields.path("name").asText());
        }
        return JSON.treeToValue(fields, c);
    }

    /**
     * Files saved before issue 18 hold {@code Model.Meta} as a Java-serialized object. They are read
     * through an allow-list filter: only the metadata's own record types, the few JDK collections
     * they use, strings, numbers and primitive arrays, at most 20 levels deep and 1 MB.
     */
    private static Model.Meta legacyMeta(Path file, byte[] bytes) {
        String[] rejected = {null};
        ObjectInputFilter filter = info -> {
            if (info.depth() > 20 || info.references() > 20_000 || info.streamBytes() > (1 << 20) || info.arrayLength() > 100_000) {
                rejected[0] = "nesting or size above the limits";
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.isPrimitive() || LEGACY_CLASSES.contains(c.getName()) || c.getName().startsWith("rnnlab.nn.Layer$")) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            rejected[0] = "class " + c.getName();
            return ObjectInputFilter.Status.REJECTED;
        };
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(filter);
            Object o = in.readObject();
            if (!(o instanceof Model.Meta m)) {
                throw bad(file, "its " + LEGACY_META + " entry holds a " + (o == null ? "null" : o.getClass().getName())
                        + ", not rnnlab model metadata");
            }
            return m;
        } catch (InvalidClassException e) {
            throw bad(file, "its old-format " + LEGACY_META + " entry holds data that is not rnnlab model metadata ("
                    + (rejected[0] != null ? rejected[0] : e.getMessage()) + "); if you saved it yourself with an older rnnlab, load it there and save it again");
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("model file")) {
                throw iae;
            }
            throw bad(file, "its old-format " + LEGACY_META + " entry cannot be read (" + e + "); save the model again with"
                    + " this version of rnnlab");
        }
    }

    private static final Set<String> LEGACY_CLASSES = Set.of("rnnlab.nn.Model$Meta", "rnnlab.nn.Model$Row", "rnnlab.nn.Shape",
            "rnnlab.nn.InputSpec", "rnnlab.nn.InputSpec$Kind", "rnnlab.nn.Optimizer", "rnnlab.nn.Loss", "rnnlab.nn.TorchRecurrent",
            "rnnlab.nn.TorchRecurrent$Cell", "rnnlab.nn.TorchRecurrent$Output", "java.util.ArrayList", "java.util.CollSer", "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$List12",
            "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.Collections$UnmodifiableCollection", "java.lang.String", "java.lang.Long", "java.lang.Integer",
            "java.lang.Double", "java.lang.Number", "java.lang.Enum", "java.lang.Object");

    private static IllegalArgumentException bad(Path file, String why) {
        return new IllegalArgumentException("model file " + file + " cannot be loaded: " + why);
    }
}

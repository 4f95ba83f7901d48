"""Report 001, experiment 1 (实验 1:基于 RNN、LSTM 的图片分类任务) in its own framework: the report's
PyTorch code (RNNClassifier, LSTMClassifier, LeNet, train_epoch, validate, train_model, evaluate_model
and the __main__ block), run here on the MNIST IDX files our loader reads. It is the peer of
notebook 07 (issue 22).

    /usr/bin/python3 lib-src/peers/report001_mnist.py --seed 42 --out runs/torch-001-seed42.json
    /usr/bin/python3 lib-src/peers/report001_mnist.py --quick --out /tmp/001-quick.json   # smoke test

Needs Debian's python3-torch (1.13), numpy and Pillow; torchvision is not packaged for Debian, so
datasets.MNIST and transforms are replaced by the few lines they amount to (see read_mnist and
transform). lib-src/peers/README.md lists every difference from the report's code and why;
comments marked "differs:" say so at the line.
"""
import gzip
import os
import shutil
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset, random_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import arguments, data_file, machine, utc_now, write_record  # noqa: E402

BILINEAR = getattr(Image, 'Resampling', Image).BILINEAR   # transforms.Resize's default for PIL images
device = torch.device('cpu')   # report: 'cuda' if torch.cuda.is_available() else 'cpu'; CPU here


# ---------------------------------------------------------------- 数据准备

def read_idx(path):
    """An IDX file (gzip), as datasets.MNIST reads its raw files."""
    with gzip.open(path, 'rb') as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def transform(images):
    """transforms.Compose([Resize((32, 32)), ToTensor(), Normalize((0.1307,), (0.3081,))]) on uint8
    28x28 images. torchvision's Resize on a PIL image is img.resize((32, 32), BILINEAR), which Pillow
    computes on the 8-bit image (so the result is rounded to 0..255 before ToTensor divides by 255)."""
    out = np.empty((len(images), 32, 32), dtype=np.uint8)
    for i, img in enumerate(images):
        out[i] = np.asarray(Image.fromarray(img, mode='L').resize((32, 32), BILINEAR))
    x = torch.from_numpy(out.astype(np.float32) / 255.0).unsqueeze(1)     # ToTensor: [N, 1, 32, 32] in [0, 1]
    return (x - 0.1307) / 0.3081                                           # Normalize((0.1307,), (0.3081,))


def read_mnist(data_dir, train, limit=None):
    """datasets.MNIST(root, train=train, transform=transform) as a TensorDataset."""
    # differs: torchvision downloads and reads the same four IDX files; here they come from
    # <data>/mnist/ (the files rnnlab.data.Mnist reads), and the transform is applied once up front
    # instead of per __getitem__ (it is deterministic, so every epoch sees the same tensors either way)
    prefix = 'train' if train else 't10k'
    images = read_idx(data_file(data_dir, 'mnist', f'{prefix}-images-idx3-ubyte.gz', what='MNIST'))
    labels = read_idx(data_file(data_dir, 'mnist', f'{prefix}-labels-idx1-ubyte.gz', what='MNIST'))
    if len(images) != len(labels):
        sys.exit(f"{data_dir}/mnist: {len(images)} {prefix} images but {len(labels)} labels")
    if limit is not None:          # --train-images / --test-images (quick mode): the first N, as notebook 07's head(N)
        images, labels = images[:limit], labels[:limit]
    return TensorDataset(transform(images), torch.from_numpy(labels.astype(np.int64)))


# ---------------------------------------------------------------- 模型构建

# 基于RNN的图像分类器
class RNNClassifier(nn.Module):
    def __init__(self, input_size=32, hidden_size=128, num_layers=2, num_classes=10):
        super(RNNClassifier, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        # RNN层: input_size是每行的像素数(32)
        self.rnn = nn.RNN(
            input_size=input_size,
            hidden_size=hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=0.3 if num_layers > 1 else 0
        )
        # 全连接层用于分类
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        # x shape: (batch, 1, 32, 32)
        batch_size = x.size(0)
        # 将图像reshape为序列: (batch, seq_len=32, input_size=32)
        x = x.view(batch_size, 32, 32)
        # RNN前向传播
        # out shape: (batch, seq_len, hidden_size)
        out, hidden = self.rnn(x)
        # 取最后一个时间步的输出
        out = out[:, -1, :]  # (batch, hidden_size)
        # 通过全连接层得到分类结果
        out = self.fc(out)  # (batch, num_classes)
        return out


# 基于LSTM的图像分类器
class LSTMClassifier(nn.Module):
    def __init__(self, input_size=32, hidden_size=128, num_layers=2, num_classes=10):
        super(LSTMClassifier, self).__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        # LSTM层
        self.lstm = nn.LSTM(
            input_size=input_size,
            hidden_size=hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=0.3 if num_layers > 1 else 0
        )
        # 全连接层
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        batch_size = x.size(0)
        x = x.view(batch_size, 32, 32)
        # LSTM前向传播
        out, (hidden, cell) = self.lstm(x)
        # 取最后一个时间步的输出
        out = out[:, -1, :]
        # 分类
        out = self.fc(out)
        return out


# LeNet-5卷积神经网络
class LeNet(nn.Module):
    def __init__(self, num_classes=10):
        super(LeNet, self).__init__()
        # 卷积层1: 1 -> 6 channels
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2)  # 32 -> 16
        # 卷积层2: 6 -> 16 channels
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(kernel_size=2, stride=2)  # 12 -> 6
        # 全连接层
        self.fc1 = nn.Linear(16 * 6 * 6, 120)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(120, 84)
        self.relu4 = nn.ReLU()
        self.fc3 = nn.Linear(84, num_classes)

    def forward(self, x):
        # 卷积层1
        x = self.conv1(x)
        x = self.relu1(x)
        x = self.pool1(x)
        # 卷积层2
        x = self.conv2(x)
        x = self.relu2(x)
        x = self.pool2(x)
        # 展平
        x = x.view(x.size(0), -1)
        # 全连接层
        x = self.fc1(x)
        x = self.relu3(x)
        x = self.fc2(x)
        x = self.relu4(x)
        x = self.fc3(x)
        return x


# ---------------------------------------------------------------- 训练和评估

def train_epoch(model, train_loader, criterion, optimizer, device):
    """训练一个epoch"""
    model.train()
    running_loss = 0.0
    correct = 0
    total = 0
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        # 前向传播
        outputs = model(images)
        loss = criterion(outputs, labels)
        # 反向传播和优化
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        # 统计
        running_loss += loss.item() * images.size(0)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
    epoch_loss = running_loss / total
    epoch_acc = 100 * correct / total
    return epoch_loss, epoch_acc


def validate(model, val_loader, criterion, device):
    """在验证集上评估"""
    model.eval()
    running_loss = 0.0
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in val_loader:
            images, labels = images.to(device), labels.to(device)
            outputs = model(images)
            loss = criterion(outputs, labels)
            running_loss += loss.item() * images.size(0)
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    epoch_loss = running_loss / total
    epoch_acc = 100 * correct / total
    return epoch_loss, epoch_acc


# 完整的训练流程
def train_model(model, model_name, train_loader, val_loader, num_epochs=20, lr=0.001, checkpoints='.'):
    # differs: checkpoints names the folder of f'{model_name}_best.pth' (the report writes to the
    # current folder); it also returns the best epoch and the training seconds, which the report prints
    # only as a screenshot
    print(f"\n{'=' * 50}")
    print(f"训练模型: {model_name}")
    print(f"{'=' * 50}", flush=True)
    model = model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=lr)
    # 记录训练历史
    history = {
        'train_loss': [],
        'train_acc': [],
        'val_loss': [],
        'val_acc': []
    }
    best_val_acc = 0.0
    best_epoch = 0
    best_path = os.path.join(checkpoints, f'{model_name}_best.pth')
    start, cpu_start = time.time(), time.process_time()
    for epoch in range(num_epochs):
        # 训练
        train_loss, train_acc = train_epoch(model, train_loader, criterion, optimizer, device)
        # 验证
        val_loss, val_acc = validate(model, val_loader, criterion, device)
        # 记录
        history['train_loss'].append(train_loss)
        history['train_acc'].append(train_acc)
        history['val_loss'].append(val_loss)
        history['val_acc'].append(val_acc)
        # 保存最佳模型
        if val_acc > best_val_acc:
            best_val_acc = val_acc
            best_epoch = epoch + 1
            torch.save(model.state_dict(), best_path)
        # 打印进度
        print(f'Epoch [{epoch + 1}/{num_epochs}] | '
              f'Train Loss: {train_loss:.4f} | Train Acc: {train_acc:.2f}% | '
              f'Val Loss: {val_loss:.4f} | Val Acc: {val_acc:.2f}%  ({time.time() - start:.0f} s)', flush=True)
    seconds, cpu_seconds = time.time() - start, time.process_time() - cpu_start
    print(f"\n{model_name} 最佳验证准确率: {best_val_acc:.2f}% (epoch {best_epoch}, {seconds:.1f} s, "
          f"{cpu_seconds:.1f} s CPU)", flush=True)
    # 加载最佳模型
    model.load_state_dict(torch.load(best_path))
    return model, history, best_epoch, seconds, cpu_seconds


# 测试流程
def evaluate_model(model, test_loader, device):
    model.eval()
    all_preds = []
    all_labels = []
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in test_loader:
            images, labels = images.to(device), labels.to(device)
            outputs = model(images)
            _, predicted = torch.max(outputs.data, 1)
            all_preds.extend(predicted.cpu().numpy())
            all_labels.extend(labels.cpu().numpy())
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    accuracy = 100 * correct / total
    return accuracy, np.array(all_preds), np.array(all_labels)


def confusion_matrix(labels, preds, n=10):
    # differs: sklearn's confusion_matrix (not packaged with python3-torch), for the record only
    cm = np.zeros((n, n), dtype=np.int64)
    np.add.at(cm, (labels, preds), 1)
    return cm


# ---------------------------------------------------------------- __main__

NAMES = ['RNN', 'LSTM', 'LeNet']


def options(ap):
    ap.add_argument("--models", default="RNN,LSTM,LeNet", help="which of the report's models to train, in the "
                    "report's order RNN, LSTM, LeNet (default all three)")
    ap.add_argument("--epochs", type=int, default=None, help="num_epochs (report: 20; --quick: 1)")
    ap.add_argument("--train-images", type=int, default=None, help="use the first N training-file images "
                    "before the 80/20 split (report: all 60,000; --quick: 640)")
    ap.add_argument("--test-images", type=int, default=None, help="use the first N test images "
                    "(report: all 10,000; --quick: 200)")
    ap.add_argument("--checkpoints", default=None, help="folder for <model>_best.pth (default: a temporary "
                    "folder, removed at the end)")


def main():
    a = arguments(__doc__, options)
    seed = 42 if a.seed is None else a.seed
    num_epochs = a.epochs or (1 if a.quick else 20)
    train_limit = a.train_images or (640 if a.quick else None)
    test_limit = a.test_images or (200 if a.quick else None)
    chosen = [m.strip() for m in a.models.split(',') if m.strip()]
    bad = [m for m in chosen if m not in NAMES]
    if bad or not chosen:
        sys.exit(f"--models {a.models}: unknown {bad}; choose from {', '.join(NAMES)}")
    torch.set_num_threads(a.threads)
    checkpoints = a.checkpoints or tempfile.mkdtemp(prefix='report001-')
    os.makedirs(checkpoints, exist_ok=True)

    # 设置随机种子保证可复现性
    torch.manual_seed(seed)        # report: torch.manual_seed(42)
    np.random.seed(seed)           # report: np.random.seed(42)
    # 加载数据集
    train_dataset = read_mnist(a.data, train=True, limit=train_limit)
    test_dataset = read_mnist(a.data, train=False, limit=test_limit)
    # 划分训练集和验证集 (80%训练,20%验证)
    train_size = int(0.8 * len(train_dataset))
    val_size = len(train_dataset) - train_size
    train_dataset, val_dataset = random_split(train_dataset, [train_size, val_size])
    # 数据加载器
    batch_size = 64
    train_loader = DataLoader(train_dataset, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_dataset, batch_size=batch_size, shuffle=False)
    test_loader = DataLoader(test_dataset, batch_size=batch_size, shuffle=False)
    print(f"训练集大小: {len(train_dataset)}")
    print(f"验证集大小: {len(val_dataset)}")
    print(f"测试集大小: {len(test_dataset)}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), seed {seed}, {num_epochs} epochs", flush=True)

    # 生成模型类的对象 — all three are built, as in the report, so the initial weights (drawn in this
    # order from the seeded generator) do not depend on --models
    rnn_model = RNNClassifier(input_size=32, hidden_size=128, num_layers=2)
    lstm_model = LSTMClassifier(input_size=32, hidden_size=128, num_layers=2)
    cnn_model = LeNet(num_classes=10)
    models = [rnn_model, lstm_model, cnn_model]
    model_names = NAMES

    record = {
        "framework": "pytorch", "report": "001-exp1", "script": "lib-src/peers/report001_mnist.py",
        "mode": "quick" if a.quick else "full", "seed": seed, "date": utc_now(), "machine": machine(),
        "data": os.path.abspath(a.data),
        "settings": {"models": chosen, "epochs": num_epochs, "batch_size": batch_size, "optimizer": "Adam lr=0.001",
                     "loss": "CrossEntropyLoss", "checkpoint": "best validation accuracy (strictly greater)",
                     "train": len(train_dataset), "validation": len(val_dataset), "test": len(test_dataset),
                     "transform": "Resize((32, 32)) [Pillow bilinear] -> ToTensor -> Normalize((0.1307,), (0.3081,))"},
        "models": {}, "quantities": {},
    }
    t0 = time.time()
    try:
        # 训练所有模型
        for model, name in zip(models, model_names):
            if name not in chosen:
                continue
            trained_model, history, best_epoch, seconds, cpu_seconds = train_model(
                model, name, train_loader, val_loader,
                num_epochs=num_epochs, lr=0.001, checkpoints=checkpoints
            )
            # 在测试集上评估. differs: the report tests after training all three; here each model is
            # tested right after its training, so a record is written per model and nothing is lost if a
            # later one is interrupted. Every DataLoader iterator draws its base seed from the global
            # generator (even with shuffle=False), so the test pass runs on a forked generator: the
            # shuffles and dropout masks of the next model stay those of the report's program.
            model.load_state_dict(torch.load(os.path.join(checkpoints, f'{name}_best.pth')))
            with torch.random.fork_rng(devices=[]):
                acc, preds, labels = evaluate_model(model, test_loader, device)
            print(f"{name} 测试准确率: {acc:.2f}%", flush=True)
            record["models"][name] = {
                "best_epoch": best_epoch, "best_val_accuracy": round(max(history['val_acc']) / 100, 6),
                "test_accuracy": round(acc / 100, 6), "train_seconds": round(seconds, 1),
                "train_cpu_seconds": round(cpu_seconds, 1),
                "parameters": sum(p.numel() for p in model.parameters()),
                "history": {k: [round(v, 4) for v in vs] for k, vs in history.items()},
                "confusion_matrix": confusion_matrix(labels, preds).tolist(),
            }
            record["quantities"][f"{name} test accuracy"] = round(acc / 100, 6)
            record["quantities"][f"{name} best validation accuracy"] = round(max(history['val_acc']) / 100, 6)
            record["seconds"] = round(time.time() - t0, 1)
            write_record(a.out, record)
    finally:
        if a.checkpoints is None:
            shutil.rmtree(checkpoints, ignore_errors=True)
    print(f"done in {time.time() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()

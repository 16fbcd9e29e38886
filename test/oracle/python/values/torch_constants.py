# Values of small constant tensors that library code turns back into Python numbers (drop-path schedules, windows).
import torch

r_split = [x.tolist() for x in torch.linspace(0, 0.3, 6).split([2, 4])]
r_split_size = [x.tolist() for x in torch.arange(7).split(3)]
r_chunk = [x.tolist() for x in torch.arange(12).reshape(3, 4).chunk(2, dim=1)]
r_unbind = [x.tolist() for x in torch.arange(6).reshape(2, 3).unbind(1)]
r_unbind_rows = [r.tolist() for r in torch.arange(6).reshape(2, 3)]
r_tensor_split = [x.tolist() for x in torch.arange(7).tensor_split(3)]
r_stagewise = [x.tolist() for x in torch.linspace(0, 0.0, 5).split([2, 3])]
r_stage_rates = [[r > 0.0 for r in stage] for stage in [x.tolist() for x in torch.linspace(0, 0.2, 5).split([2, 3])]]
r_items = [x.item() for x in torch.linspace(0, 0.1, 3)]
r_torch_split = [t.tolist() for t in torch.split(torch.arange(5) * 2, [1, 4])]

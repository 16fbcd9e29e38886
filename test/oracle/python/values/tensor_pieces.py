# The pieces of a tensor of known values keep them: split/chunk/tensor_split/unbind then .tolist()/.item()
# (stochastic-depth schedules: torch.linspace(0, rate, sum(depths)).split(depths)).
import torch

depths = [2, 2, 3]
r_split_stage = [x.tolist() for x in torch.linspace(0, 0.3, sum(depths)).split(depths)]
r_split_zero = [x.tolist() for x in torch.linspace(0, 0.0, 7).split(depths)]
r_split_size = [x.tolist() for x in torch.split(torch.arange(7), 3)]
r_chunk = [x.tolist() for x in torch.arange(12).reshape(3, 4).chunk(2, dim=1)]
r_tensor_split = [x.tolist() for x in torch.tensor_split(torch.arange(7), 3)]
r_unbind = [x.item() for x in torch.arange(4).unbind()]
r_unbind_rows = [x.tolist() for x in torch.arange(6).reshape(2, 3).unbind(1)]
r_drop_path = [[r > 0.0 for r in stage] for stage in r_split_stage]
r_flip = (4 ** torch.arange(3, dtype=torch.long)).flip(0).tolist()
r_flip_2d = torch.arange(6).reshape(2, 3).flip(0, 1).tolist()
r_flip_tuple = torch.flip(torch.arange(6).reshape(2, 3), [1]).tolist()
from typing import List

outs = torch.jit.annotate(List[torch.Tensor], [])
outs.append(torch.zeros(2, 3))
r_jit_annotate = (len(outs), list(outs[0].shape), torch.jit.annotate(int, 3))

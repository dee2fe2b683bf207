module kubelet-reference

go 1.23

module orca.bench/gowork

go 1.22

print("crpin")

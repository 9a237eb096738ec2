"""Case mail: reply addresses, and the inbound mail server that receives what comes back to them."""

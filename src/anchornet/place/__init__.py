"""The place: postcodes and the geography a network is defined on."""

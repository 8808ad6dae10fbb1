namespace gw::test {}

// Conformance: @authwire/axios on axios 1.x.
import { withAuth } from '@authwire/axios';
import axios from 'axios';
import { axiosDriver } from './axios-driver.ts';
import { adapterConformance } from './suite.ts';

adapterConformance('axios', (auth) => axiosDriver(withAuth(axios.create(), auth)));
